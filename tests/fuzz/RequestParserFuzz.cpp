// Fuzzing http::RequestParser, which reads every byte an API client sends.
// The first byte picks small or default limits; the rest is one connection's
// bytes. They are parsed twice: in one piece, and in chunks whose sizes come
// from the input (down to one byte). Besides the sanitizers, the checks are
// the parser's promises: it never takes more than it was given, what it
// hands out respects the limits, and the requests and the error it reports
// do not depend on where TCP happened to split the bytes.
#include <cstdlib>
#include <string>
#include <vector>

#include "FuzzEntry.h"
#include "http/RequestParser.h"

using namespace rportd::http;

namespace {

// What one pass saw, to compare the two passes.
struct Outcome {
    std::vector<std::string> requests;  // each request flattened
    int errorStatus = 0;
    bool operator==(const Outcome& o) const {
        return requests == o.requests && errorStatus == o.errorStatus;
    }
};

std::string flatten(const HttpRequest& request, bool keepAlive) {
    std::string out = request.method + ' ' + request.target + ' ' + request.absoluteTarget + ' ' +
                      request.authority + ' ' + std::to_string(request.versionMinor) +
                      (keepAlive ? " keep\n" : " close\n");
    for (const auto& [name, value] : request.headers) out += name + ": " + value + '\n';
    out += request.bodyTooLarge ? "(too large)" : request.body;
    return out;
}

void checkRequest(const HttpRequest& request, const ParserLimits& limits) {
    if (request.method.empty() || request.method.size() > limits.maxMethodBytes) abort();
    if (request.target.empty() || request.target.size() > limits.maxTargetBytes) abort();
    if (request.versionMinor != 0 && request.versionMinor != 1) abort();
    if (request.headers.size() > limits.maxHeaderFields) abort();
    if (request.body.size() > limits.maxBodyBytes) abort();
    if (request.bodyTooLarge && !request.body.empty()) abort();
}

// Feeds bytes as a connection would receive them, in chunks of the sizes
// chunkSize() says (0: all that is left).
template <typename ChunkSize>
Outcome run(const ParserLimits& limits, std::string_view bytes, ChunkSize chunkSize) {
    Outcome outcome;
    RequestParser parser(limits);
    std::string pending;  // received, not yet consumed
    size_t received = 0;
    bool wantMore = true;
    for (int rounds = 0; rounds < 100000; ++rounds) {
        if (wantMore || pending.empty()) {
            if (received == bytes.size()) return outcome;
            size_t more = chunkSize();
            size_t left = bytes.size() - received;
            if (more == 0 || more > left) more = left;
            pending.append(bytes.substr(received, more));
            received += more;
        }
        size_t consumed = 0;
        ParseStatus status = parser.parse(pending.data(), pending.size(), consumed);
        if (consumed > pending.size()) abort();
        pending.erase(0, consumed);
        wantMore = false;
        switch (status) {
            case ParseStatus::NeedMore:
                if (!pending.empty()) abort();  // it promises to take everything then
                wantMore = true;
                break;
            case ParseStatus::ExpectContinue:
                break;
            case ParseStatus::Complete:
                checkRequest(parser.request(), limits);
                outcome.requests.push_back(flatten(parser.request(), parser.keepAlive()));
                // The server answers an oversized body and closes.
                if (parser.request().bodyTooLarge) return outcome;
                parser.reset();
                break;
            case ParseStatus::Failed:
                if (parser.errorStatus() < 400 || parser.errorStatus() > 599) abort();
                outcome.errorStatus = parser.errorStatus();
                return outcome;
        }
    }
    abort();  // no progress
}

}  // namespace

int rportFuzzRequestParser(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    ParserLimits limits;
    if (data[0] & 1) {
        limits.maxHeaderBytes = 256;
        limits.maxBodyBytes = 64;
        limits.maxHeaderFields = 4;
        limits.maxMethodBytes = 8;
        limits.maxTargetBytes = 64;
        limits.maxChunkLineBytes = 16;
    }
    std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    Outcome whole = run(limits, bytes, [] { return size_t{0}; });
    // The split pass takes its chunk sizes from the bytes backwards, so they
    // vary with the input without another field in it.
    size_t next = bytes.size();
    uint8_t seed = data[0];
    Outcome split = run(limits, bytes, [&]() -> size_t {
        uint8_t b = next > 0 ? static_cast<uint8_t>(bytes[--next]) : 7;
        return 1 + static_cast<size_t>((b ^ seed) % 17);
    });
    if (!(whole == split)) abort();
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzRequestParser(data, size);
}
#endif
