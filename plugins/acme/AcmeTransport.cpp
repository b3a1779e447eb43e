#include "AcmeTransport.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/URI.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <istream>

#include "LogText.h"
#include "Problem.h"
#include "TimeText.h"

namespace rport::plugins::acme {

// ---- AbortSwitch ---------------------------------------------------------------

AbortSwitch::~AbortSwitch() { release(); }

void AbortSwitch::watch(int fd) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_fd >= 0) ::close(_fd);
    _fd = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (_aborted && _fd >= 0) ::shutdown(_fd, SHUT_RDWR);
}

void AbortSwitch::release() {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
}

void AbortSwitch::abort() {
    std::lock_guard<std::mutex> lock(_mutex);
    _aborted = true;
    // Wakes a blocked connect, read or write on this socket with an error.
    if (_fd >= 0) ::shutdown(_fd, SHUT_RDWR);
}

bool AbortSwitch::aborted() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _aborted;
}

void AbortSwitch::throwIfAborted() const {
    if (aborted()) throw TransportError("stopped", true);
}

// ---- the session -----------------------------------------------------------------

// HTTPSClientSession, with its socket handed to the abort switch as soon as
// it exists. The TLS handshake is made lazy (at the first write) so that it,
// too, happens after the switch can reach the socket.
class AbortableHttpsSession : public Poco::Net::HTTPSClientSession {
public:
    AbortableHttpsSession(const std::string& host, Poco::UInt16 port,
                          Poco::Net::Context::Ptr context, AbortSwitch& abortSwitch)
        : HTTPSClientSession(host, port, std::move(context)), _abortSwitch(abortSwitch) {}

protected:
    void connect(const Poco::Net::SocketAddress& address) override {
        _abortSwitch.throwIfAborted();
        Poco::Net::SecureStreamSocket secure(socket());
        secure.setLazyHandshake(true);
        HTTPSClientSession::connect(address);
        _abortSwitch.watch(socket().impl()->sockfd());
    }

private:
    AbortSwitch& _abortSwitch;
};

// ---- AcmeTransport ------------------------------------------------------------------

namespace {

std::string mediaType(const std::string& contentType) {
    std::string t = contentType.substr(0, contentType.find(';'));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return t;
}

bool isBadNonce(const HttpResult& r) {
    if (r.status != 400) return false;
    auto problem = Problem::fromResponse(r, 0);
    return problem && problem->is("badNonce");
}

}  // namespace

AcmeTransport::AcmeTransport(const TransportOptions& options, DebugLog debug)
    : _options(options), _debug(std::move(debug)) {
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.verificationDepth = 9;
    params.caLocation = options.caBundle;
    params.loadDefaultCAs = options.caBundle.empty();
    try {
        _context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        _context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    } catch (const Poco::Exception& e) {
        throw TransportError(options.caBundle.empty()
                                 ? "cannot set up TLS for the ACME client: " + e.displayText()
                                 : "cannot use ca_bundle \"" + options.caBundle +
                                       "\": " + e.displayText());
    }
}

AcmeTransport::~AcmeTransport() { dropSession(); }

void AcmeTransport::dropSession() {
    if (_session) {
        try {
            _session->reset();
        } catch (...) {
        }
    }
    _session.reset();
    _sessionOrigin.clear();
    _abort.release();
}

AbortableHttpsSession& AcmeTransport::sessionFor(const std::string& scheme, const std::string& host,
                                                 uint16_t port) {
    const std::string origin = scheme + "://" + host + ":" + std::to_string(port);
    if (_session && origin == _sessionOrigin) return *_session;
    dropSession();
    _session = std::make_unique<AbortableHttpsSession>(host, port, _context, _abort);
    _session->setKeepAlive(true);
    _session->setTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(_options.connectTimeoutMs) * 1000),
                         Poco::Timespan(Poco::Timespan::TimeDiff(_options.readTimeoutMs) * 1000),
                         Poco::Timespan(Poco::Timespan::TimeDiff(_options.readTimeoutMs) * 1000));
    _sessionOrigin = origin;
    return *_session;
}

std::string AcmeTransport::failureText(const std::string& what, const std::string& url,
                                       const std::string& reason) const {
    return what + " " + printable(url) + " failed: " + reason;
}

HttpResult AcmeTransport::exchange(const std::string& method, const std::string& url,
                                   const std::string& body, const std::string& accept) {
    _abort.throwIfAborted();
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw TransportError("the ACME server sent an unusable URL \"" + printable(url) + "\"");
    }
    if (uri.getScheme() != "https" || uri.getHost().empty())
        throw TransportError("the ACME server sent a URL that is not https: \"" + printable(url) +
                             "\"");

    const auto started = std::chrono::steady_clock::now();
    HttpResult result;
    result.method = method;
    result.url = url;
    try {
        AbortableHttpsSession& session = sessionFor(uri.getScheme(), uri.getHost(), uri.getPort());
        Poco::Net::HTTPRequest request(method, uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", _options.userAgent);
        request.setKeepAlive(true);
        if (!accept.empty()) request.set("Accept", accept);
        if (method == Poco::Net::HTTPRequest::HTTP_POST) {
            request.setContentType("application/jose+json");
            request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        }
        std::ostream& out = session.sendRequest(request);
        out << body;
        out.flush();

        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        // Without this, an error while reading the body (a timeout, our own
        // abort) would merely end the stream and look like a short body.
        in.exceptions(std::ios::badbit);
        char buffer[8192];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            result.body.append(buffer, static_cast<size_t>(in.gcount()));
            if (result.body.size() > _options.maxResponseBytes) {
                dropSession();
                throw TransportError(
                    failureText(method, url,
                                "the answer is larger than " +
                                    std::to_string(_options.maxResponseBytes / 1024) +
                                    " KB, more than any ACME answer needs"));
            }
        }
        if (response.hasContentLength() && method != Poco::Net::HTTPRequest::HTTP_HEAD &&
            static_cast<Poco::Int64>(result.body.size()) != response.getContentLength64()) {
            dropSession();
            throw TransportError(
                failureText(method, url, "the connection closed before the whole answer arrived"));
        }
        result.status = static_cast<int>(response.getStatus());
        result.contentType = mediaType(response.getContentType());
        result.location = response.get("Location", "");
        result.retryAfter = response.get("Retry-After", "");
        result.replayNonce = response.get("Replay-Nonce", "");
        if (!response.getKeepAlive()) dropSession();
    } catch (const TransportError&) {
        throw;
    } catch (const Poco::TimeoutException&) {
        dropSession();
        _abort.throwIfAborted();
        throw TransportError(failureText(
            method, url,
            "no answer within " + std::to_string(_options.readTimeoutMs / 1000) + " s"));
    } catch (const Poco::Net::SSLException& e) {
        dropSession();
        _abort.throwIfAborted();
        const std::string hint =
            _options.caBundle.empty()
                ? " (if this CA's certificate is not from a public CA, set ca_bundle to the "
                  "PEM file of the CA that issued it)"
                : " (check that the server's certificate chains to ca_bundle \"" +
                      _options.caBundle + "\")";
        throw TransportError(failureText(method, url, "TLS: " + e.displayText() + hint));
    } catch (const Poco::Exception& e) {
        dropSession();
        _abort.throwIfAborted();
        throw TransportError(failureText(method, url, e.displayText()));
    } catch (const std::exception& e) {
        dropSession();
        _abort.throwIfAborted();
        throw TransportError(failureText(method, url, e.what()));
    }
    if (!result.replayNonce.empty()) _nonces.put(result.replayNonce);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (_debug)
        _debug(method + " " + printable(url) + " -> " + std::to_string(result.status) + " (" +
               std::to_string(ms) + " ms)");
    return result;
}

HttpResult AcmeTransport::get(const std::string& url) { return exchange("GET", url, "", ""); }

std::string AcmeTransport::freshNonce() {
    if (auto cached = _nonces.take()) return *cached;
    if (_newNonceUrl.empty())
        throw TransportError("no newNonce URL: the directory was not read yet");
    const HttpResult r = exchange("HEAD", _newNonceUrl, "", "");
    if (!r.ok())
        throw TransportError("the CA's newNonce " + printable(_newNonceUrl) + " answered " +
                             std::to_string(r.status));
    if (auto nonce = _nonces.take()) return *nonce;
    throw TransportError("the CA's newNonce " + printable(_newNonceUrl) +
                         " sent no usable Replay-Nonce");
}

HttpResult AcmeTransport::post(const std::string& url, const Signer& sign,
                               const std::string& accept) {
    for (int attempt = 0;; ++attempt) {
        const std::string nonce = freshNonce();
        HttpResult r = exchange("POST", url, sign(nonce), accept);
        if (!isBadNonce(r) || attempt >= _options.badNonceRetries) return r;
        ++_badNonceRetries;
        // The error response carried a fresh Replay-Nonce, now in the cache.
        if (_debug)
            _debug("badNonce from " + printable(url) +
                   ": retrying with the nonce from the error response (retry " +
                   std::to_string(attempt + 1) + " of " + std::to_string(_options.badNonceRetries) +
                   ")");
    }
}

}  // namespace rport::plugins::acme
