// libyaml's event parser, used by the Config module to read configuration files.
#ifndef SLAPROBE_CYAML_SHIM_H
#define SLAPROBE_CYAML_SHIM_H

#include <yaml.h>

#endif
