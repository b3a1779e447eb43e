#pragma once
// HTTPS to the ACME server (RFC 8555 §6): one keep-alive connection per
// origin through Poco's HTTPSClientSession, the server's certificate checked
// against ca_bundle or the system's CAs, connect and read timeouts, a bound
// on response size, the nonce cache filled from every Replay-Nonce, signed
// POSTs (POST-as-GET included) retried on badNonce with the nonce the error
// brought, and an abort() that another thread may call to end a request in
// flight at once (destroy must not wait out a 30 s read timeout).
#include <Poco/Net/Context.h>

#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "HttpResult.h"
#include "NonceCache.h"

namespace rport::plugins::acme {

struct TransportOptions {
    std::string caBundle;  // PEM file the server's certificate must chain to; "" = the system's CAs
    int connectTimeoutMs = 10000;
    int readTimeoutMs = 30000;
    size_t maxResponseBytes = 1 << 20;
    int badNonceRetries = 5;
    std::string userAgent = "rportd-acme";
};

// The request did not produce an HTTP response: the reason in plain words.
class TransportError : public std::runtime_error {
public:
    TransportError(const std::string& message, bool aborted = false)
        : std::runtime_error(message), _aborted(aborted) {}
    bool aborted() const noexcept { return _aborted; }

private:
    bool _aborted;
};

// Shuts the socket of the request in flight down from another thread. It
// keeps its own duplicate of the descriptor, so the socket it shuts down is
// always the session's, never one that reused a closed descriptor's number.
class AbortSwitch {
public:
    ~AbortSwitch();
    void watch(int fd);
    void release();
    void abort();
    bool aborted() const;
    void throwIfAborted() const;

private:
    mutable std::mutex _mutex;
    bool _aborted = false;
    int _fd = -1;
};

class AbortableHttpsSession;

class AcmeTransport {
public:
    using DebugLog = std::function<void(const std::string&)>;
    // Makes the nonce-signed body of a POST; called once per attempt.
    using Signer = std::function<std::string(const std::string& nonce)>;

    // Throws TransportError when ca_bundle cannot be used.
    AcmeTransport(const TransportOptions& options, DebugLog debug);
    ~AcmeTransport();
    AcmeTransport(const AcmeTransport&) = delete;
    AcmeTransport& operator=(const AcmeTransport&) = delete;

    // The directory's newNonce, used when the cache is empty.
    void setNewNonceUrl(const std::string& url) { _newNonceUrl = url; }

    // Unauthenticated GET (the directory, renewal information).
    HttpResult get(const std::string& url);
    // A signed POST; accept sets the Accept header (certificate download).
    HttpResult post(const std::string& url, const Signer& sign, const std::string& accept = "");

    // Any thread: ends the request in flight and refuses all later ones.
    void abort() { _abort.abort(); }
    bool aborted() const { return _abort.aborted(); }

    // How many badNonce answers were retried so far.
    int badNonceRetries() const { return _badNonceRetries; }
    const TransportOptions& options() const { return _options; }

private:
    HttpResult exchange(const std::string& method, const std::string& url, const std::string& body,
                        const std::string& accept);
    std::string freshNonce();
    AbortableHttpsSession& sessionFor(const std::string& scheme, const std::string& host,
                                      uint16_t port);
    void dropSession();
    std::string failureText(const std::string& what, const std::string& url,
                            const std::string& reason) const;

    TransportOptions _options;
    DebugLog _debug;
    Poco::Net::Context::Ptr _context;
    AbortSwitch _abort;
    std::unique_ptr<AbortableHttpsSession> _session;
    std::string _sessionOrigin;
    NonceCache _nonces;
    std::string _newNonceUrl;
    int _badNonceRetries = 0;
};

}  // namespace rport::plugins::acme
