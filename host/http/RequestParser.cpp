#include "http/RequestParser.h"

#include <algorithm>
#include <cstring>

#include "http/HttpSyntax.h"

namespace rportd::http {

namespace {

// "HTTP/1.1" and its siblings: exactly eight bytes.
constexpr size_t kVersionBytes = 8;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A request-target byte: anything visible; no controls, no space, no DEL.
// Bytes above 0x7F pass: some clients send raw UTF-8 and the router decides.
bool isTargetChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7F;
}

// Content-Length: 1*DIGIT. Eighteen digits cannot overflow and are far beyond
// any body we accept.
bool parseLength(std::string_view text, size_t& out) {
    if (text.empty() || text.size() > 18) return false;
    size_t value = 0;
    for (char c : text) {
        if (!isDigit(c)) return false;
        value = value * 10 + static_cast<size_t>(c - '0');
    }
    out = value;
    return true;
}

// Splits a field line (RFC 9112 5) into name and OWS-trimmed value. Returns
// nullptr if it is well-formed, else the reason. Leading whitespace is an
// obs-fold continuation (or an attempt to pass one off), whitespace before the
// colon makes the name invalid (RFC 9112 5.1), and a value may hold no
// control character but HTAB.
const char* splitFieldLine(std::string_view line, std::string_view& name, std::string_view& value) {
    if (isOws(line.front())) return "obsolete line folding is not accepted";
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) return "invalid header field name";
    name = line.substr(0, colon);
    value = trimOws(line.substr(colon + 1));
    for (char c : value) {
        if (!isFieldValueChar(c)) return "invalid header field value";
    }
    return nullptr;
}

// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// with chunk-ext-name = token and chunk-ext-val = token / quoted-string
// (RFC 9112 7.1.1). Nothing may follow, not even whitespace.
bool isValidChunkExtensions(std::string_view text) {
    auto skipBws = [&text] {
        while (!text.empty() && isOws(text.front())) text.remove_prefix(1);
    };
    auto takeToken = [&text] {
        size_t n = 0;
        while (n < text.size() && isTokenChar(text[n])) ++n;
        text.remove_prefix(n);
        return n > 0;
    };
    while (!text.empty()) {
        skipBws();
        if (text.empty() || text.front() != ';') return false;
        text.remove_prefix(1);
        skipBws();
        if (!takeToken()) return false;
        // "=" after optional BWS; whitespace not followed by "=" must be
        // followed by the next ";", which the loop checks.
        std::string_view afterName = text;
        skipBws();
        if (text.empty() || text.front() != '=') {
            text = afterName;
            continue;
        }
        text.remove_prefix(1);
        skipBws();
        if (!text.empty() && text.front() == '"') {
            size_t length = quotedStringLength(text);
            if (length == 0) return false;
            text.remove_prefix(length);
        } else if (!takeToken()) {
            return false;
        }
    }
    return true;
}

// Where the authority of an absolute URI ends: at the path, the query or the end.
size_t authorityEnd(std::string_view rest) {
    size_t end = rest.find_first_of("/?");
    return end == std::string_view::npos ? rest.size() : end;
}

}  // namespace

void RequestParser::reset() {
    _request.method.clear();
    _request.target.clear();
    _request.absoluteTarget.clear();
    _request.authority.clear();
    _request.versionMinor = 1;
    _request.headers.clear();
    _request.body.clear();
    _request.bodyTooLarge = false;
    _state = State::RequestLine;
    _partialLine.clear();
    _headBytes = 0;
    _bodyRemaining = 0;
    _keepAlive = true;
    _started = false;
    _errorStatus = 0;
    _errorTitle = "";
}

ParseStatus RequestParser::fail(int status, const char* title) {
    _state = State::Failed;
    _errorStatus = status;
    _errorTitle = title;
    return ParseStatus::Failed;
}

// Takes one line ending in LF (the LF is consumed, a CR before it dropped).
// `limit` is the longest acceptable line without its LF; the search never
// looks further than one byte past it, so an endless line is refused after
// limit + 1 bytes however the input is split, and is never buffered whole.
RequestParser::LineResult RequestParser::takeLine(const char*& p, const char* end, size_t limit,
                                                  std::string_view& line) {
    const size_t room = limit + 1 - std::min(_partialLine.size(), limit + 1);
    const size_t window = std::min(room, static_cast<size_t>(end - p));
    const void* found = std::memchr(p, '\n', window);
    if (found == nullptr) {
        _partialLine.append(p, window);
        p += window;
        return _partialLine.size() > limit ? LineResult::TooLong : LineResult::Partial;
    }
    const char* lf = static_cast<const char*>(found);
    if (_partialLine.empty()) {
        line = std::string_view(p, static_cast<size_t>(lf - p));  // whole line in the input: no copy
    } else {
        _partialLine.append(p, lf);
        line = _partialLine;
    }
    p = lf + 1;
    _lineHadCr = !line.empty() && line.back() == '\r';
    if (_lineHadCr) line.remove_suffix(1);  // CRLF or bare LF
    return LineResult::Line;
}

// One line of the head (request line, field or trailer) within the limits:
// the head's byte budget, and for the request line the longest line that
// could be valid. Returns true when `line` holds a complete line.
bool RequestParser::takeHeadLine(const char*& p, const char* end, std::string_view& line,
                                 ParseStatus& status) {
    const size_t lineStart = _headBytes - _partialLine.size();
    if (lineStart >= _limits.maxHeaderBytes) {
        status = fail(431, "request header fields too large");
        return false;
    }
    size_t limit = _limits.maxHeaderBytes - lineStart - 1;  // the LF needs one byte of the budget
    bool requestLineLimit = false;
    if (_state == State::RequestLine) {
        const size_t longest = _limits.maxMethodBytes + 1 + _limits.maxTargetBytes + 1 + kVersionBytes + 1;
        if (longest < limit) {
            limit = longest;
            requestLineLimit = true;
        }
    }
    const char* before = p;
    LineResult result = takeLine(p, end, limit, line);
    _headBytes += static_cast<size_t>(p - before);
    if (result != LineResult::TooLong) return result == LineResult::Line;
    if (requestLineLimit) {
        // Too long to be valid: blame the target if the method looked sane.
        std::string_view seen = _partialLine;
        size_t space = seen.find(' ');
        bool methodOk = space != std::string_view::npos && space <= _limits.maxMethodBytes &&
                        isToken(seen.substr(0, space));
        status = methodOk ? fail(414, "request target too long") : fail(400, "invalid method");
    } else {
        status = fail(431, "request header fields too large");
    }
    return false;
}

// Looks at the method while it is still arriving, so that a client speaking
// something else (TLS to a plain port, garbage) is refused at the first byte
// that cannot belong to a method, instead of waiting for a line end that may
// never come. Consumes the bytes up to the bad one on failure.
bool RequestParser::checkMethodSoFar(const char*& p, const char* end) {
    if (_partialLine.find_first_of(" \r") != std::string::npos) return true;  // past the method
    size_t length = _partialLine.size();
    for (const char* q = p; q < end; ++q) {
        const char c = *q;
        if (c == ' ' || c == '\r' || c == '\n') break;
        if (!isTokenChar(c) || ++length > _limits.maxMethodBytes) {
            _headBytes += static_cast<size_t>(q + 1 - p);
            p = q + 1;
            fail(400, "invalid method");
            return false;
        }
    }
    return true;
}

bool RequestParser::onRequestLine(std::string_view line) {
    size_t firstSpace = line.find(' ');
    if (firstSpace == std::string_view::npos) {
        fail(400, "malformed request line");
        return false;
    }
    std::string_view method = line.substr(0, firstSpace);
    if (method.size() > _limits.maxMethodBytes || !isToken(method)) {
        fail(400, "invalid method");
        return false;
    }
    std::string_view rest = line.substr(firstSpace + 1);
    size_t secondSpace = rest.find(' ');
    if (secondSpace == std::string_view::npos || secondSpace == 0) {
        fail(400, "malformed request line");
        return false;
    }
    std::string_view target = rest.substr(0, secondSpace);
    if (target.size() > _limits.maxTargetBytes) {
        fail(414, "request target too long");
        return false;
    }
    for (char c : target) {
        if (!isTargetChar(c)) {
            fail(400, "invalid request target");
            return false;
        }
    }
    std::string_view version = rest.substr(secondSpace + 1);
    if (!checkVersion(version)) return false;
    _request.method.assign(method);
    if (!setTarget(method, target)) return false;
    _state = State::HeaderLine;
    return true;
}

bool RequestParser::checkVersion(std::string_view version) {
    if (version.size() != kVersionBytes || version.compare(0, 5, "HTTP/") != 0 || !isDigit(version[5]) ||
        version[6] != '.' || !isDigit(version[7])) {
        fail(400, "malformed HTTP version");
        return false;
    }
    if (version[5] != '1') {
        fail(505, "HTTP version not supported");
        return false;
    }
    // RFC 9110 2.5: a higher 1.x minor version is served as the highest we know.
    _request.versionMinor = version[7] == '0' ? 0 : 1;
    return true;
}

// The four forms of RFC 9112 3.2. Handlers always see origin-form (or "*").
bool RequestParser::setTarget(std::string_view method, std::string_view target) {
    if (method == "CONNECT") {
        // authority-form belongs to CONNECT only, and we are no proxy. The
        // connection closes, so tunnel bytes a client sends optimistically
        // are never taken for requests.
        fail(400, "CONNECT is not supported");
        return false;
    }
    if (target.front() == '/') {
        _request.target.assign(target);
        return true;
    }
    if (target == "*") {
        if (method != "OPTIONS") {
            fail(400, "asterisk-form target is only allowed with OPTIONS");
            return false;
        }
        _request.target.assign(target);
        return true;
    }
    // absolute-form: "http" or "https", "://", an authority with a host and
    // no userinfo (RFC 9110 4.2.4), then path-abempty and the query.
    size_t schemeEnd = target.find("://");
    std::string_view scheme = target.substr(0, schemeEnd);
    if (schemeEnd == std::string_view::npos || !(equalsIgnoreCase(scheme, "http") || equalsIgnoreCase(scheme, "https"))) {
        fail(400, "invalid request target");
        return false;
    }
    std::string_view rest = target.substr(schemeEnd + 3);
    std::string_view authority = rest.substr(0, authorityEnd(rest));
    if (!isValidHostPort(authority, false)) {
        fail(400, "invalid request target");
        return false;
    }
    std::string_view origin = rest.substr(authority.size());
    _request.target.clear();
    if (origin.empty() || origin.front() == '?') _request.target += '/';  // RFC 9112 3.2.1: an empty path is "/"
    _request.target.append(origin);
    _request.absoluteTarget.assign(target);
    _request.authority.assign(authority);
    return true;
}

bool RequestParser::onHeaderLine(std::string_view line) {
    std::string_view name;
    std::string_view value;
    if (const char* problem = splitFieldLine(line, name, value)) {
        fail(400, problem);
        return false;
    }
    if (_request.headers.size() >= _limits.maxHeaderFields) {
        fail(431, "too many header fields");
        return false;
    }
    _request.headers.emplace_back(std::string(name), std::string(value));
    return true;
}

// Trailer fields are checked like header fields, then dropped: nothing we
// serve uses them, and merging them into the headers after the fact would let
// a client slip in fields the head was judged without. Every line of the
// chunked framing, these included, must end in CRLF: a recipient that does
// not take a bare LF as a line end would see a different end of the message.
bool RequestParser::onTrailerLine(std::string_view line) {
    if (!_lineHadCr) {
        fail(400, "chunked framing line not ended by CRLF");
        return false;
    }
    if (line.empty()) {
        _state = State::Complete;
        return true;
    }
    std::string_view name;
    std::string_view value;
    if (const char* problem = splitFieldLine(line, name, value)) {
        fail(400, problem);
        return false;
    }
    return true;
}

// Decides how the body is framed: Content-Length (possibly repeated or a list
// of equal values) or chunked; both at once is a smuggling attempt.
bool RequestParser::readFraming(bool& chunked, size_t& contentLength) {
    bool haveLength = false;
    int encodings = 0;
    const std::string* encoding = nullptr;
    for (const auto& [name, value] : _request.headers) {
        if (equalsIgnoreCase(name, "transfer-encoding")) {
            ++encodings;
            encoding = &value;
        } else if (equalsIgnoreCase(name, "content-length")) {
            std::string_view list = value;
            for (;;) {
                size_t comma = list.find(',');
                size_t length = 0;
                if (!parseLength(trimOws(list.substr(0, comma)), length) || (haveLength && length != contentLength)) {
                    fail(400, "invalid Content-Length");
                    return false;
                }
                haveLength = true;
                contentLength = length;
                if (comma == std::string_view::npos) break;
                list.remove_prefix(comma + 1);
            }
        }
    }
    if (encodings > 0 && haveLength) {
        fail(400, "both Content-Length and Transfer-Encoding");
        return false;
    }
    if (encodings > 1) {
        fail(400, "repeated Transfer-Encoding");
        return false;
    }
    if (encoding != nullptr && _request.versionMinor == 0) {
        // RFC 9112 6.1: faulty framing, as an HTTP/1.0 recipient (or proxy)
        // would not have understood it.
        fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        return false;
    }
    if (encoding != nullptr && !checkTransferCodings(*encoding)) return false;
    chunked = encoding != nullptr;
    if (!haveLength) contentLength = 0;
    return true;
}

// The list must end in "chunked" (RFC 9112 6.3: otherwise the length of the
// body cannot be known, 400) and hold it only once (6.1); any coding before it
// is one we do not implement (501). Empty list elements are ignored (RFC 9110 5.6.1).
bool RequestParser::checkTransferCodings(std::string_view list) {
    std::string_view last;
    bool unsupported = false;
    bool chunkedBeforeLast = false;
    for (;;) {
        size_t comma = list.find(',');
        std::string_view element = trimOws(list.substr(0, comma));
        if (!element.empty()) {
            if (equalsIgnoreCase(last, "chunked")) {
                chunkedBeforeLast = true;
            } else if (!last.empty()) {
                unsupported = true;
            }
            last = element;
        }
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    if (!equalsIgnoreCase(last, "chunked") || chunkedBeforeLast) {
        fail(400, "chunked is not the final transfer coding");
        return false;
    }
    if (unsupported) {
        fail(501, "unsupported transfer encoding");
        return false;
    }
    return true;
}

ParseStatus RequestParser::onHeadComplete() {
    const bool http11 = _request.versionMinor == 1;
    int hosts = 0;
    const std::string* host = nullptr;
    bool sawClose = false;
    bool sawKeepAlive = false;
    const std::string* expect = nullptr;
    for (const auto& [name, value] : _request.headers) {
        if (equalsIgnoreCase(name, "host")) {
            ++hosts;
            host = &value;
        } else if (equalsIgnoreCase(name, "connection")) {
            sawClose = sawClose || listContainsToken(value, "close");
            sawKeepAlive = sawKeepAlive || listContainsToken(value, "keep-alive");
        } else if (equalsIgnoreCase(name, "expect")) {
            expect = &value;
        }
    }
    // RFC 9112 3.2: an HTTP/1.1 request has exactly one Host; none is allowed twice.
    if (hosts > 1 || (http11 && hosts == 0)) return fail(400, "missing or repeated Host header");
    // ... and one with an invalid value is refused as well. It is checked even
    // when an absolute-form target overrides it.
    if (host != nullptr) {
        if (!isValidHostPort(*host, true)) return fail(400, "invalid Host header");
        if (_request.authority.empty()) _request.authority = *host;
    }
    _keepAlive = http11 ? !sawClose : (sawKeepAlive && !sawClose);

    bool chunked = false;
    size_t contentLength = 0;
    if (!readFraming(chunked, contentLength)) return ParseStatus::Failed;

    // HTTP/1.0 clients do not know 100-continue; their Expect is ignored.
    bool wantsContinue = false;
    if (expect != nullptr && http11) {
        if (!equalsIgnoreCase(*expect, "100-continue")) return fail(417, "unsupported expectation");
        wantsContinue = true;
    }

    if (chunked) {
        _state = State::ChunkSizeLine;
    } else if (contentLength > _limits.maxBodyBytes) {
        // Not read at all: the handler answers, then the connection closes.
        _request.bodyTooLarge = true;
        _state = State::Complete;
        return ParseStatus::Complete;
    } else if (contentLength > 0) {
        _request.body.reserve(contentLength);
        _bodyRemaining = contentLength;
        _state = State::Body;
    } else {
        _state = State::Complete;
        return ParseStatus::Complete;
    }
    return wantsContinue ? ParseStatus::ExpectContinue : ParseStatus::NeedMore;
}

ParseStatus RequestParser::onChunkSizeLine(std::string_view line) {
    if (!_lineHadCr) return fail(400, "chunked framing line not ended by CRLF");
    size_t digits = 0;
    size_t significant = 0;  // digits after leading zeros
    size_t size = 0;
    while (digits < line.size() && hexValue(line[digits]) >= 0) {
        if (size > 0 || line[digits] != '0') ++significant;
        // Fifteen hex digits cannot overflow and are far beyond any body we accept.
        if (significant > 15) return fail(400, "invalid chunk size");
        size = size * 16 + static_cast<size_t>(hexValue(line[digits]));
        ++digits;
    }
    if (digits == 0) return fail(400, "invalid chunk size");
    // Chunk extensions carry nothing we use, but must be well-formed.
    if (!isValidChunkExtensions(line.substr(digits))) return fail(400, "invalid chunk extension");
    if (size == 0) {
        _state = State::TrailerLine;
    } else if (size > _limits.maxBodyBytes - _request.body.size()) {
        // Stop reading here; what was de-chunked so far is dropped too.
        _request.body.clear();
        _request.bodyTooLarge = true;
        _state = State::Complete;
        return ParseStatus::Complete;
    } else {
        _bodyRemaining = size;
        _state = State::ChunkData;
    }
    return ParseStatus::NeedMore;
}

void RequestParser::takeBodyBytes(const char*& p, const char* end) {
    size_t n = std::min(_bodyRemaining, static_cast<size_t>(end - p));
    _request.body.append(p, n);
    p += n;
    _bodyRemaining -= n;
}

ParseStatus RequestParser::parse(const char* data, size_t size, size_t& consumed) {
    const char* p = data;
    const char* end = data + size;
    ParseStatus status = ParseStatus::NeedMore;
    while (status == ParseStatus::NeedMore) {
        if (_state == State::Complete) {
            status = ParseStatus::Complete;
            break;
        }
        if (_state == State::Failed) {
            status = ParseStatus::Failed;
            break;
        }
        if (p == end) break;
        _started = true;
        std::string_view line;
        switch (_state) {
            case State::RequestLine:
                if (!checkMethodSoFar(p, end)) {
                    status = ParseStatus::Failed;
                    break;
                }
                if (takeHeadLine(p, end, line, status)) {
                    // Empty lines before a request are tolerated (RFC 9112 2.2).
                    if (!line.empty()) onRequestLine(line);
                }
                break;
            case State::HeaderLine:
                if (takeHeadLine(p, end, line, status)) {
                    if (line.empty()) {
                        status = onHeadComplete();
                    } else {
                        onHeaderLine(line);
                    }
                }
                break;
            case State::TrailerLine:
                // Trailer fields count against the head limit.
                if (takeHeadLine(p, end, line, status)) onTrailerLine(line);
                break;
            case State::ChunkSizeLine: {
                LineResult result = takeLine(p, end, _limits.maxChunkLineBytes, line);
                if (result == LineResult::TooLong) {
                    status = fail(400, "chunk size line too long");
                } else if (result == LineResult::Line) {
                    status = onChunkSizeLine(line);
                }
                break;
            }
            case State::ChunkDataEnd: {
                LineResult result = takeLine(p, end, 1, line);
                if (result == LineResult::TooLong || (result == LineResult::Line && (!line.empty() || !_lineHadCr))) {
                    status = fail(400, "chunk data not followed by CRLF");
                } else if (result == LineResult::Line) {
                    _state = State::ChunkSizeLine;
                }
                break;
            }
            case State::Body:
                takeBodyBytes(p, end);
                if (_bodyRemaining == 0) _state = State::Complete;
                break;
            case State::ChunkData:
                takeBodyBytes(p, end);
                if (_bodyRemaining == 0) _state = State::ChunkDataEnd;
                break;
            case State::Complete:
            case State::Failed:
                break;
        }
        if (_state == State::Failed) status = ParseStatus::Failed;
        // A line assembled in _partialLine has been interpreted now; start afresh.
        if (line.data() == _partialLine.data()) _partialLine.clear();
    }
    consumed = static_cast<size_t>(p - data);
    return status;
}

}  // namespace rportd::http
