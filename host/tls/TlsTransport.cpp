#include "tls/TlsTransport.h"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tls/AcmeTlsAlpn.h"
#include "tls/OpenSslError.h"
#include "tls/PlainHttpProbe.h"
#include "tls/SocketBio.h"

namespace rportd::tls {

using net::IoResult;
using net::IoStatus;

namespace {

// Peek this many bytes: enough for the longest method and its space.
constexpr size_t kProbeSize = 24;

bool queuedUnexpectedEof() {
    unsigned long code = ERR_peek_error();
    return ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

}  // namespace

TlsTransport::TlsTransport(int fd, const CertificateStore& store) : _fd(fd) {
    ERR_clear_error();
    _ssl.reset(SSL_new(store.baseContext()));
    BIO* bio = _ssl ? newSocketBio(fd) : nullptr;
    if (bio == nullptr) {
        _handshakeFailure = "cannot create a TLS session: " + takeOpenSslError("out of memory");
        _ssl.reset();
        return;
    }
    SSL_set_bio(_ssl.get(), bio, bio);  // one reference, owned by the SSL for both directions
    SSL_set_accept_state(_ssl.get());
}

TlsTransport::~TlsTransport() {
    _ssl.reset();
    if (_fd >= 0) ::close(_fd);
}

IoResult TlsTransport::failHandshake(std::string reason) {
    _handshakeFailure = std::move(reason);
    _broken = true;
    return {IoStatus::Failed, 0};
}

IoResult TlsTransport::refusePlainHttp() {
    char first[kProbeSize];
    ssize_t peeked;
    do {
        peeked = ::recv(_fd, first, sizeof first, MSG_PEEK);
    } while (peeked < 0 && errno == EINTR);
    if (peeked < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoStatus::WantRead, 0};
        return failHandshake(std::string("socket error before the TLS handshake: ") + std::strerror(errno));
    }
    if (peeked == 0) return failHandshake("connection closed before the TLS handshake");
    if (static_cast<unsigned char>(first[0]) == kTlsHandshakeRecord) {
        _probed = true;
        return {IoStatus::Done, 0};
    }
    if (looksLikePlainHttp(std::string_view(first, static_cast<size_t>(peeked)))) {
        _earlyResponse = plainHttpRejection();
        return failHandshake("plain HTTP request on the TLS port");
    }
    return failHandshake("not a TLS handshake");
}

IoResult TlsTransport::handshake() {
    if (!_ssl) return {IoStatus::Failed, 0};
    if (_established) return {IoStatus::Done, 0};
    if (_broken) return {IoStatus::Failed, 0};
    if (!_probed) {
        IoResult probe = refusePlainHttp();
        if (!_probed) return probe;
    }
    ERR_clear_error();
    errno = 0;
    int result = SSL_do_handshake(_ssl.get());
    if (result == 1) {
        _established = true;
        _acmeValidation = alpnProtocol() == kAcmeTlsAlpnProtocol;
        return {IoStatus::Done, 0};
    }
    switch (SSL_get_error(_ssl.get(), result)) {
    case SSL_ERROR_WANT_READ:
        return {IoStatus::WantRead, 0};
    case SSL_ERROR_WANT_WRITE:
        return {IoStatus::WantWrite, 0};
    case SSL_ERROR_ZERO_RETURN:
        return failHandshake("connection closed during the TLS handshake");
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0) {
            if (errno == 0) return failHandshake("connection closed during the TLS handshake");
            return failHandshake(std::string("socket error during the TLS handshake: ") + std::strerror(errno));
        }
        return failHandshake(takeOpenSslError());
    case SSL_ERROR_SSL:
        if (queuedUnexpectedEof()) {
            ERR_clear_error();
            return failHandshake("connection closed during the TLS handshake");
        }
        return failHandshake(takeOpenSslError());
    default:
        return failHandshake("TLS handshake interrupted: " + takeOpenSslError());
    }
}

IoResult TlsTransport::failIo(int sslError) {
    switch (sslError) {
    case SSL_ERROR_WANT_READ:
        return {IoStatus::WantRead, 0};
    case SSL_ERROR_WANT_WRITE:
        return {IoStatus::WantWrite, 0};
    case SSL_ERROR_ZERO_RETURN:
        return {IoStatus::Closed, 0};  // close_notify, or EOF (SSL_OP_IGNORE_UNEXPECTED_EOF)
    case SSL_ERROR_SYSCALL:
        _broken = true;
        if (ERR_peek_error() == 0 && errno == 0) return {IoStatus::Closed, 0};  // EOF without an alert
        _lastError = ERR_peek_error() != 0 ? takeOpenSslError() : std::string(std::strerror(errno));
        return {IoStatus::Failed, 0};
    case SSL_ERROR_SSL:
        _broken = true;
        if (queuedUnexpectedEof()) {
            ERR_clear_error();
            return {IoStatus::Closed, 0};
        }
        _lastError = takeOpenSslError();
        return {IoStatus::Failed, 0};
    default:
        _broken = true;
        _lastError = takeOpenSslError();
        return {IoStatus::Failed, 0};
    }
}

std::string TlsTransport::handshakeOnlyExchange() const {
    return _acmeValidation ? "an ACME TLS-ALPN-01 validation (acme-tls/1)" : std::string();
}

IoResult TlsTransport::read(char* buffer, size_t capacity) {
    if (!_established || _broken || _acmeValidation) return {IoStatus::Failed, 0};
    if (capacity == 0) return {IoStatus::Done, 0};
    ERR_clear_error();
    errno = 0;
    size_t received = 0;
    int result = SSL_read_ex(_ssl.get(), buffer, capacity, &received);
    if (result == 1) return {IoStatus::Done, received};
    return failIo(SSL_get_error(_ssl.get(), result));
}

IoResult TlsTransport::write(const char* data, size_t size) {
    if (!_established || _broken || _acmeValidation) return {IoStatus::Failed, 0};
    if (size == 0) return {IoStatus::Done, 0};
    ERR_clear_error();
    errno = 0;
    size_t written = 0;
    int result = SSL_write_ex(_ssl.get(), data, size, &written);
    if (result == 1) return {IoStatus::Done, written};
    IoResult failed = failIo(SSL_get_error(_ssl.get(), result));
    // A write never ends in order: an alert where data should go is a failure.
    if (failed.status == IoStatus::Closed) failed.status = IoStatus::Failed;
    return failed;
}

IoResult TlsTransport::shutdownWrite() {
    if (_writeClosed) return {IoStatus::Done, 0};
    // close_notify only on a healthy, established session: before the
    // handshake there is nothing to close, after a fatal error OpenSSL
    // forbids it. The TCP FIN follows either way.
    if (_ssl && _established && !_broken) {
        ERR_clear_error();
        int result = SSL_shutdown(_ssl.get());
        if (result < 0) {
            int error = SSL_get_error(_ssl.get(), result);
            if (error == SSL_ERROR_WANT_WRITE) return {IoStatus::WantWrite, 0};
            // Anything else: the alert cannot be sent; close the socket side anyway.
            ERR_clear_error();
        }
    }
    ::shutdown(_fd, SHUT_WR);
    _writeClosed = true;
    return {IoStatus::Done, 0};
}

std::string TlsTransport::alpnProtocol() const {
    if (!_ssl) return std::string();
    const unsigned char* data = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(_ssl.get(), &data, &length);
    return data != nullptr ? std::string(reinterpret_cast<const char*>(data), length) : std::string();
}

std::string TlsTransport::sniName() const {
    const char* name = _ssl ? SSL_get_servername(_ssl.get(), TLSEXT_NAMETYPE_host_name) : nullptr;
    return name != nullptr ? name : "";
}

bool TlsTransport::sessionResumed() const {
    return _ssl && SSL_session_reused(_ssl.get()) == 1;
}

std::string TlsTransport::protocolVersion() const {
    return _ssl ? SSL_get_version(_ssl.get()) : "";
}

std::string TlsTransport::cipherName() const {
    const char* name = _ssl ? SSL_get_cipher_name(_ssl.get()) : nullptr;
    return name != nullptr ? name : "";
}

}  // namespace rportd::tls
