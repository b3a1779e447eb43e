#include "SteadyTlsClient.h"

#include <algorithm>
#include <chrono>

#include "TlsClient.h"

namespace rport::test {

SteadyTlsClient::SteadyTlsClient(uint16_t port, std::string name, std::string caFile, int pauseMs)
    : _port(port),
      _name(std::move(name)),
      _ca(std::move(caFile)),
      _pauseMs(pauseMs),
      _thread([this] { loop(); }) {}

SteadyTlsClient::~SteadyTlsClient() { stop(); }

void SteadyTlsClient::stop() {
    _stop = true;
    if (_thread.joinable()) _thread.join();
}

std::string SteadyTlsClient::lastFailure() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _lastFailure;
}

std::string SteadyTlsClient::lastSerial() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _lastSerial;
}

void SteadyTlsClient::loop() {
    while (!_stop) {
        try {
            TlsClient client(_port, {_name, _ca});
            int status = client.get("/api/v1/status", "admin", "foobaz");
            std::lock_guard<std::mutex> lock(_mutex);
            _lastSerial = client.peerSerial();
            if (status != 200) {
                ++_failures;
                _lastFailure = "status " + std::to_string(status);
            }
        } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(_mutex);
            ++_failures;
            _lastFailure = e.what();
        }
        ++_requests;
        std::this_thread::sleep_for(std::chrono::milliseconds(_pauseMs));
    }
}

std::string withoutLeadingZeros(std::string hex) {
    hex.erase(0, std::min(hex.find_first_not_of('0'), hex.size() ? hex.size() - 1 : 0));
    return hex;
}

long waitForSerial(const SteadyTlsClient& client, const std::string& serial, int timeoutMs) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    while (Clock::now() - start < std::chrono::milliseconds(timeoutMs)) {
        if (withoutLeadingZeros(client.lastSerial()) == withoutLeadingZeros(serial))
            return static_cast<long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

}  // namespace rport::test
