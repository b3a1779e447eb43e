// The "acme" plugin: the cert-provider "acme", an RFC 8555 client that gets
// and renews the certificate for one DNS name by itself (HTTP-01 or
// TLS-ALPN-01 answered by rportd, storage under <data_dir>/acme).
#include <rport/plugin.hpp>

#include "AcmeProvider.h"

RPORT_PLUGIN("acme", "1.0.0", rport::sdk::certBackend<rport::plugins::acme::AcmeProvider>("acme"))
