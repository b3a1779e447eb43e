#pragma once
// A deliberately dumb HTTP client on a blocking socket, so tests can send
// exactly the bytes they mean (split headers, pipelined requests, garbage)
// and see exactly what the server answers and when it closes.
#include <cstdint>
#include <map>
#include <string>

namespace rportd::http::test {

struct RawResponse {
    int status = 0;
    std::string head;                            // status line and fields, without the blank line
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

class RawClient {
public:
    // Connects to host:port (IPv4 or IPv6 literal); throws std::runtime_error.
    explicit RawClient(uint16_t port, const std::string& host = "127.0.0.1");
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // Sends everything; throws on failure.
    void send(const std::string& bytes);
    // Sends what it can; false once the server has closed or reset (EPIPE, ECONNRESET).
    bool trySend(const std::string& bytes);

    // Reads one response: head, then Content-Length bytes of body (none if
    // `expectBody` is false, as after HEAD). Throws on timeout or close.
    RawResponse readResponse(bool expectBody = true, int timeoutMs = 5000);
    // Reads exactly `size` bytes; throws on timeout or close.
    std::string readExactly(size_t size, int timeoutMs = 5000);
    // Whether the server closes the connection (EOF or reset) within the
    // timeout; data that arrives meanwhile is dropped.
    bool waitForClose(int timeoutMs);

    void shutdownWrite();
    uint16_t localPort() const;
    int fd() const { return _fd; }

private:
    // Appends whatever arrives within the timeout to _buffered; false on timeout, EOF or error.
    bool fill(int timeoutMs);

    int _fd = -1;
    std::string _buffered;
};

// "GET <target> HTTP/1.1" with a Host header and the given extra lines.
std::string getRequest(const std::string& target, const std::string& extraHeaders = "");

}  // namespace rportd::http::test
