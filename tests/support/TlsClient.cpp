#include "TlsClient.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "HttpCall.h"

namespace rport::test {

namespace {

std::string opensslError() {
    unsigned long code = ERR_get_error();
    if (!code) return "no detail";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return text;
}

std::string base64(const std::string& in) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

}  // namespace

TlsClient::TlsClient(uint16_t port, const TlsClientOptions& options) {
    _ctx = SSL_CTX_new(TLS_client_method());
    if (!_ctx) throw std::runtime_error("SSL_CTX_new: " + opensslError());
    if (options.maxVersion) SSL_CTX_set_max_proto_version(_ctx, options.maxVersion);
    if (!options.caFile.empty()) {
        if (SSL_CTX_load_verify_locations(_ctx, options.caFile.c_str(), nullptr) != 1)
            throw std::runtime_error("cannot load " + options.caFile);
        SSL_CTX_set_verify(_ctx, SSL_VERIFY_PEER, nullptr);
    }
    _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    ::setsockopt(_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::string why = std::strerror(errno);
        ::close(_fd);
        SSL_CTX_free(_ctx);
        throw std::runtime_error("connect: " + why);
    }
    _ssl = SSL_new(_ctx);
    SSL_set_fd(_ssl, _fd);
    if (!options.sni.empty()) SSL_set_tlsext_host_name(_ssl, options.sni.c_str());
    if (!options.caFile.empty() && !options.sni.empty()) SSL_set1_host(_ssl, options.sni.c_str());
    if (options.resume) SSL_set_session(_ssl, options.resume);
    if (SSL_connect(_ssl) != 1) {
        std::string why = opensslError();
        SSL_free(_ssl);
        ::close(_fd);
        SSL_CTX_free(_ctx);
        throw std::runtime_error("TLS handshake failed: " + why);
    }
}

TlsClient::~TlsClient() {
    if (_ssl) {
        SSL_shutdown(_ssl);
        SSL_free(_ssl);
    }
    if (_fd >= 0) ::close(_fd);
    if (_ctx) SSL_CTX_free(_ctx);
}

namespace {
std::string serialHex(X509* certificate) {
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
    char* hex = BN_bn2hex(serial);
    std::string out = hex;
    OPENSSL_free(hex);
    BN_free(serial);
    return out;
}
}  // namespace

std::string TlsClient::peerSerial() const {
    X509* peer = SSL_get1_peer_certificate(_ssl);
    if (!peer) return "";
    std::string out = serialHex(peer);
    X509_free(peer);
    return out;
}

std::string certificateSerial(const std::string& pemFile) {
    FILE* file = std::fopen(pemFile.c_str(), "r");
    if (!file) return "";
    X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    if (!certificate) return "";
    std::string out = serialHex(certificate);
    X509_free(certificate);
    return out;
}

std::string TlsClient::protocol() const { return SSL_get_version(_ssl); }

bool TlsClient::resumed() const { return SSL_session_reused(_ssl) == 1; }

SSL_SESSION* TlsClient::takeSession() const { return SSL_get1_session(_ssl); }

int TlsClient::get(const std::string& path, const std::string& user, const std::string& password, std::string* body) {
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!user.empty()) request += "Authorization: Basic " + base64(user + ":" + password) + "\r\n";
    request += "\r\n";
    if (SSL_write(_ssl, request.data(), static_cast<int>(request.size())) <= 0) return 0;
    std::string response;
    char buffer[16384];
    size_t headEnd = std::string::npos;
    size_t contentLength = 0;
    for (;;) {
        if (headEnd != std::string::npos && response.size() >= headEnd + 4 + contentLength) break;
        int n = SSL_read(_ssl, buffer, sizeof buffer);
        // TLS 1.3 tickets arrive as post-handshake messages; SSL_read handles them.
        if (n <= 0) return 0;
        response.append(buffer, static_cast<size_t>(n));
        if (headEnd == std::string::npos) {
            headEnd = response.find("\r\n\r\n");
            if (headEnd != std::string::npos) {
                size_t at = response.find("Content-Length: ");
                if (at != std::string::npos && at < headEnd) contentLength = std::stoul(response.substr(at + 16));
            }
        }
    }
    if (body) *body = response.substr(headEnd + 4, contentLength);
    return std::stoi(response.substr(9, 3));
}

std::string tlsHandshakeError(uint16_t port, const TlsClientOptions& options) {
    try {
        TlsClient client(port, options);
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace rport::test
