#pragma once
// A subjectAltName extension with one dNSName: what both the CSR and the
// TLS-ALPN-01 certificate carry for the name being validated.
#include <string>

#include "OpenSsl.h"

namespace rport::plugins::acme {

X509ExtensionPtr subjectAltNameDns(const std::string& name);

}  // namespace rport::plugins::acme
