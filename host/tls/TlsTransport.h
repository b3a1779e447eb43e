#pragma once
// Transport running TLS (server side) over a connected non-blocking socket.
// Owns the socket and closes it when destroyed, like PlainTransport.
//
// Before the handshake it peeks at the first bytes: a plain HTTP request on
// the TLS port fails the handshake with a ready 400 response in
// earlyResponse(), instead of a TLS alert the browser would not show.
#include <string>
#include <string_view>

#include "net/Transport.h"
#include "tls/CertificateStore.h"
#include "tls/OpenSslHandles.h"

namespace rportd::tls {

class TlsTransport final : public net::Transport {
public:
    // The SSL is created on the store's base context; the store picks the
    // certificate during the handshake. The store must outlive this object.
    TlsTransport(int fd, const CertificateStore& store);
    ~TlsTransport() override;
    TlsTransport(const TlsTransport&) = delete;
    TlsTransport& operator=(const TlsTransport&) = delete;

    int fd() const override { return _fd; }
    net::IoResult handshake() override;
    std::string handshakeFailure() const override { return _handshakeFailure; }
    std::string_view earlyResponse() const override { return _earlyResponse; }
    // Non-empty after a handshake that negotiated acme-tls/1: a TLS-ALPN-01
    // validation, after which no application data may flow (reads and
    // writes fail; shutdownWrite still sends close_notify).
    std::string handshakeOnlyExchange() const override;
    net::IoResult read(char* buffer, size_t capacity) override;
    net::IoResult write(const char* data, size_t size) override;
    bool shortReadMeansDrained() const override { return false; }
    // Call once the last write reported Done: OpenSSL cannot queue the
    // close_notify alert behind a record that is still half sent.
    net::IoResult shutdownWrite() override;

    // After the handshake: what was negotiated, for logs and routing.
    std::string alpnProtocol() const;     // "" when none was agreed
    std::string sniName() const;          // "" when the client sent none
    bool sessionResumed() const;          // a ticket spared the full handshake
    std::string protocolVersion() const;  // "TLSv1.3", "TLSv1.2"
    std::string cipherName() const;
    // The last read or write failure, for the connection's log line.
    const std::string& lastError() const { return _lastError; }
    // For diagnostics and tests only; the transport stays its owner.
    SSL* nativeHandle() const { return _ssl.get(); }

private:
    net::IoResult refusePlainHttp();
    net::IoResult failHandshake(std::string reason);
    net::IoResult failIo(int sslError);

    int _fd;
    SslPtr _ssl;
    bool _probed = false;       // the first bytes were checked and are TLS
    bool _established = false;  // the handshake completed
    bool _acmeValidation = false;  // ... and negotiated acme-tls/1
    bool _broken = false;       // a fatal error: SSL_shutdown must not be called
    bool _writeClosed = false;
    std::string _handshakeFailure;
    std::string_view _earlyResponse;
    std::string _lastError;
};

}  // namespace rportd::tls
