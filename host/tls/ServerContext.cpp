#include "tls/ServerContext.h"

#include "tls/OpenSslError.h"

namespace rportd::tls {

SslCtxPtr newServerContext(const TlsPolicy& policy, const std::shared_ptr<TicketKeyRing>& ring, std::string& error) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    if (!ctx) {
        error = "cannot create a TLS context: " + takeOpenSslError();
        return nullptr;
    }
    if (!applyTlsPolicy(ctx.get(), policy, error)) return nullptr;
    if (ring && !TicketKeyRing::attach(ctx.get(), ring)) {
        error = "cannot attach the session ticket keys: " + takeOpenSslError();
        return nullptr;
    }
    return ctx;
}

}  // namespace rportd::tls
