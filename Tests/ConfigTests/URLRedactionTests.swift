import Config
import Testing

/// What logs, pages, API responses and errors show of a configured URL.
@Suite struct URLRedactionTests {
    @Test(arguments: [
        ("http://user:pw@billing.example.com/api?x=1", "http://<redacted>@billing.example.com/api?x=1"),
        ("https://token@billing.example.com", "https://<redacted>@billing.example.com"),
        ("http://a:b@c@host:8080/p@q", "http://<redacted>@host:8080/p@q"),
        ("http://billing.example.com/api", "http://billing.example.com/api"),
        ("http://host/path@not-userinfo", "http://host/path@not-userinfo"),
        ("user:pw@host/x", "<redacted>@host/x"),
        ("", ""),
    ])
    func userInfoIsRedactedAndTheRestKept(url: String, shown: String) {
        #expect(URLRedaction.userInfo.apply(to: url) == shown)
    }

    @Test(arguments: [
        ("https://hooks.slack.com/services/T0/B0/XyZsecret", "https://hooks.slack.com"),
        ("http://user:pw@127.0.0.1:9093/api?token=t#f", "http://127.0.0.1:9093"),
        ("http://host?token=t", "http://host"),
        ("https://[::1]:8443/x", "https://[::1]:8443"),
        ("hooks.example/T0/secret", "<invalid url>"),
        ("http:///secret", "<invalid url>"),
    ])
    func receiversShowOnlySchemeAndHost(url: String, shown: String) {
        #expect(URLRedaction.allButOrigin.apply(to: url) == shown)
    }
}
