#pragma once
// A client that keeps making HTTPS requests while a test changes the
// certificate under it: each request on a new connection (a new handshake),
// verified against a CA file for one SNI name, remembering every failure and
// the serial it was served last. The CA file is read again for every
// connection, so a test may rewrite it (a CA that restarted with a new root).
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace rport::test {

class SteadyTlsClient {
public:
    // Starts at once; `pauseMs` between requests.
    SteadyTlsClient(uint16_t port, std::string name, std::string caFile, int pauseMs = 20);
    ~SteadyTlsClient();
    SteadyTlsClient(const SteadyTlsClient&) = delete;
    SteadyTlsClient& operator=(const SteadyTlsClient&) = delete;

    void stop();
    int requests() const { return _requests; }
    int failures() const { return _failures; }
    std::string lastFailure() const;
    std::string lastSerial() const;

private:
    void loop();

    uint16_t _port;
    std::string _name, _ca;
    int _pauseMs;
    std::atomic<bool> _stop{false};
    std::atomic<int> _requests{0}, _failures{0};
    mutable std::mutex _mutex;
    std::string _lastFailure, _lastSerial;
    std::thread _thread;  // last: starts when everything above exists
};

// Serials compared as numbers: one tool pads hex to whole bytes, another not.
std::string withoutLeadingZeros(std::string hex);

// Waits until the client has been served `serial`; the milliseconds it
// took, or -1 after timeoutMs.
long waitForSerial(const SteadyTlsClient& client, const std::string& serial, int timeoutMs);

}  // namespace rport::test
