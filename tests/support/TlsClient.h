#pragma once
// A blocking TLS client on 127.0.0.1 for integration tests: connects with an
// SNI name, tells which certificate (serial) the server presented and which
// protocol it chose, and sends HTTP/1.1 requests on the same connection, so
// that a test can keep one connection open across a certificate swap.
#include <openssl/ssl.h>

#include <cstdint>
#include <string>

namespace rport::test {

struct TlsClientOptions {
    std::string sni = "localhost";
    std::string caFile;         // verify the chain against it; empty: no verification
    int maxVersion = 0;         // e.g. TLS1_2_VERSION to offer nothing newer
    SSL_SESSION* resume = nullptr;  // a session to resume (not owned)
};

class TlsClient {
public:
    // Throws std::runtime_error with the reason when the handshake fails.
    TlsClient(uint16_t port, const TlsClientOptions& options = TlsClientOptions());
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    std::string peerSerial() const;  // upper-case hex
    std::string protocol() const;    // "TLSv1.3"
    bool resumed() const;
    // The session to resume later (owned by the caller: SSL_SESSION_free).
    SSL_SESSION* takeSession() const;

    // Sends a GET (with Basic credentials when user is set) and returns the
    // status code; body receives the content. 0 when the connection failed.
    int get(const std::string& path, const std::string& user, const std::string& password, std::string* body = nullptr);

private:
    SSL_CTX* _ctx = nullptr;
    SSL* _ssl = nullptr;
    int _fd = -1;
};

// The serial of the first certificate in a PEM file, upper-case hex as
// peerSerial() writes it; "" when the file holds none.
std::string certificateSerial(const std::string& pemFile);

// Tries a handshake and returns "" on success or the reason it failed.
std::string tlsHandshakeError(uint16_t port, const TlsClientOptions& options = TlsClientOptions());

}  // namespace rport::test
