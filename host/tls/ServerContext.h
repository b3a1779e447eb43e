#pragma once
// A server SSL_CTX as the listener needs it: the policy applied and the
// host's ticket keys attached. Used for the base context every connection
// starts on and for each certificate generation.
#include <memory>
#include <string>

#include "tls/OpenSslHandles.h"
#include "tls/TicketKeyRing.h"
#include "tls/TlsPolicy.h"

namespace rportd::tls {

// Null, with `error` set, if OpenSSL refused the policy.
SslCtxPtr newServerContext(const TlsPolicy& policy, const std::shared_ptr<TicketKeyRing>& ring, std::string& error);

}  // namespace rportd::tls
