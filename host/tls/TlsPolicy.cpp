#include "tls/TlsPolicy.h"

#include <cstring>

#include "tls/OpenSslError.h"

namespace rportd::tls {

namespace {

// Mozilla "intermediate", restricted to ECDHE key exchange: every suite is an
// AEAD and every key exchange is ephemeral.
const char* const kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
const char* const kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
const char* const kGroups = "X25519:P-256:P-384";

// Every context shares one session id context, so a session made while one
// certificate generation was current is still acceptable under the next.
const unsigned char kSessionIdContext[] = "rportd";

// Two tickets per TLS 1.3 handshake: enough for a client that opens a second
// connection in parallel, and half OpenSSL's default of four.
constexpr size_t kTls13TicketsPerHandshake = 2;

void freeAlpnList(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
    delete static_cast<std::vector<std::string>*>(ptr);
}

// The accepted ALPN list lives in the context itself, so the select callback
// can never see it freed before the context (connections may outlive the
// object that built the context).
int alpnListIndex() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, freeAlpnList);
    return index;
}

// Picks our most preferred id among those the client offers.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outLength, const unsigned char* offered,
               unsigned int offeredLength, void* arg) {
    const auto* accepted = static_cast<const std::vector<std::string>*>(arg);
    for (const std::string& wanted : *accepted) {
        unsigned int at = 0;
        while (at < offeredLength) {
            unsigned int length = offered[at];
            if (length == 0 || at + 1 + length > offeredLength) break;  // malformed list: stop reading it
            if (length == wanted.size() && std::memcmp(offered + at + 1, wanted.data(), length) == 0) {
                *out = offered + at + 1;
                *outLength = static_cast<unsigned char>(length);
                return SSL_TLSEXT_ERR_OK;
            }
            at += 1 + length;
        }
    }
    // Not a fatal alert: a client that offers only h2 still gets HTTP/1.1.
    return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

std::string validateTlsPolicy(const TlsPolicy& policy) {
    if (policy.minVersion != "1.2" && policy.minVersion != "1.3") {
        return "TLS minimum version must be \"1.2\" or \"1.3\", not \"" + policy.minVersion + "\"";
    }
    for (const std::string& id : policy.alpnProtocols) {
        if (id.empty() || id.size() > 255) return "ALPN protocol ids must be 1 to 255 bytes long";
    }
    return std::string();
}

bool applyTlsPolicy(SSL_CTX* ctx, const TlsPolicy& policy, std::string& error) {
    error = validateTlsPolicy(policy);
    if (!error.empty()) return false;

    int minimum = policy.minVersion == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_set_min_proto_version(ctx, minimum) != 1 || SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
        error = "cannot set the TLS versions: " + takeOpenSslError();
        return false;
    }
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 || SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) {
        error = "cannot set the cipher suites: " + takeOpenSslError();
        return false;
    }
    if (SSL_CTX_set1_groups_list(ctx, kGroups) != 1) {
        error = "cannot set the key exchange groups: " + takeOpenSslError();
        return false;
    }

    // SSL_OP_NO_TICKET stays clear: tickets, keyed by the host's ring, are
    // how resumption survives certificate swaps. Unexpected EOF is an
    // ordinary close: many HTTP clients never send close_notify.
    // The server's order decides (Mozilla leaves it to the client; testssl
    // rates that HIGH). Every suite on the list is AEAD with forward
    // secrecy, so the order only ranks good choices: ECDSA/AES-GCM first.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    // Partial writes: the connection's output queue tracks progress itself.
    // Moving buffer: the retry contract promises the same bytes, and the queue
    // may hand them over from a different address. Release buffers: an idle
    // keep-alive connection then holds no 16 KB record buffers.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_num_tickets(ctx, kTls13TicketsPerHandshake);
    // Tickets carry resumption; a server-side session cache would only cost
    // memory per client and would not survive a restart anyway.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1) != 1) {
        error = "cannot set the session id context: " + takeOpenSslError();
        return false;
    }

    auto* accepted = new std::vector<std::string>(policy.alpnProtocols);
    if (SSL_CTX_set_ex_data(ctx, alpnListIndex(), accepted) != 1) {
        delete accepted;
        error = "cannot attach the ALPN list: " + takeOpenSslError();
        return false;
    }
    SSL_CTX_set_alpn_select_cb(ctx, selectAlpn, accepted);
    return true;
}

}  // namespace rportd::tls
