#pragma once
// The CSR sent to finalize an order (RFC 8555 §7.4): the certificate's fresh
// key, the name as subjectAltName dNSName (and as CN when it fits), signed
// with SHA-256, DER.
#include <string>

#include "PrivateKey.h"

namespace rport::plugins::acme {

std::string certificateRequestDer(const PrivateKey& key, const std::string& name);

}  // namespace rport::plugins::acme
