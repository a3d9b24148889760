#ifndef SLAPROBE_CMICROHTTPD_SHIM_H
#define SLAPROBE_CMICROHTTPD_SHIM_H

// Typed, non-variadic wrappers around the variadic libmicrohttpd entry points,
// which Swift cannot call directly. Nothing else lives here.

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// The MHD_OPTION_UNESCAPE_CALLBACK function type, which microhttpd.h spells out only in a comment.
typedef size_t (*slaprobe_mhd_unescaper)(void *cls, struct MHD_Connection *connection, char *text);

/// Starts a daemon, building an MHD_OPTION_ARRAY so that optional options can be left out.
/// listen_fd >= 0 hands MHD an already bound and listening socket (MHD_OPTION_LISTEN_SOCKET, MHD closes
/// it on stop); otherwise bind_addr (may be NULL = MHD default, all IPv4 interfaces) is used with
/// MHD_OPTION_SOCK_ADDR and port. Zero for a numeric limit means "MHD default". cert_pem/key_pem are
/// used only when both are non-NULL (then MHD_USE_TLS is added to flags, and tls_priorities, a GnuTLS priority
/// string, limits protocol versions when non-NULL); MHD keeps these pointers until MHD_stop_daemon returns.
/// unescape, when non-NULL, replaces MHD's decoding of %HH in the URL and its arguments.
static inline struct MHD_Daemon *slaprobe_mhd_start(
    unsigned int flags, uint16_t port, int listen_fd, const struct sockaddr *bind_addr,
    unsigned int connection_limit, unsigned int connection_timeout_seconds, unsigned int thread_pool_size,
    unsigned int per_ip_connection_limit,
    MHD_AccessHandlerCallback handler, void *handler_cls, MHD_RequestCompletedCallback completed,
    void *completed_cls, const char *cert_pem, const char *key_pem, const char *tls_priorities,
    slaprobe_mhd_unescaper unescape) {
    struct MHD_OptionItem ops[14];
    int n = 0;
    if (listen_fd >= 0) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, (intptr_t)listen_fd, NULL};
    } else if (bind_addr != NULL) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)bind_addr};
        if (bind_addr->sa_family == AF_INET6) {
            flags |= MHD_USE_IPv6;
        }
    }
    if (connection_limit > 0) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)connection_limit, NULL};
    }
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)connection_timeout_seconds, NULL};
    if (completed != NULL) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_cls};
    }
    if (per_ip_connection_limit > 0) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)per_ip_connection_limit, NULL};
    }
    if (thread_pool_size > 1) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)thread_pool_size, NULL};
    }
    if (unescape != NULL) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL};
    }
    if (cert_pem != NULL && key_pem != NULL) {
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem};
        ops[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem};
        if (tls_priorities != NULL) {
            ops[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)tls_priorities};
        }
        flags |= MHD_USE_TLS;
    }
    ops[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
}

/// The port the daemon listens on, or 0 if MHD cannot tell.
static inline int slaprobe_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : (int)info->port;
}

/// The peer address of a connection, or NULL.
static inline const struct sockaddr *slaprobe_mhd_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

#endif
