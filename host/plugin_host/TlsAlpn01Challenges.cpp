#include "plugin_host/TlsAlpn01Challenges.h"

#include <Poco/Logger.h>

#include <exception>
#include <vector>

namespace rportd::plugin_host {

namespace {

constexpr size_t kMaxNameLength = 253;
constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxPemLength = 64 * 1024;

bool isLabelChar(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string lowerCase(std::string_view name) {
    std::string out(name);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

bool TlsAlpn01Challenges::isValidName(std::string_view name) noexcept {
    if (name.empty() || name.size() > kMaxNameLength) return false;
    size_t label = 0;
    for (char c : name) {
        if (c == '.') {
            if (label == 0) return false;  // leading dot or an empty label
            label = 0;
        } else if (!isLabelChar(c) || ++label > kMaxLabelLength) {
            return false;
        }
    }
    return label > 0;  // no trailing dot: SNI never carries one
}

bool TlsAlpn01Challenges::isValidPair(std::string_view certPem, std::string_view keyPem) noexcept {
    return !certPem.empty() && certPem.size() <= kMaxPemLength && !keyPem.empty() &&
           keyPem.size() <= kMaxPemLength;
}

void TlsAlpn01Challenges::setListener(Listener listener) {
    std::lock_guard<std::mutex> change(_changeMutex);
    _listener = std::move(listener);
}

TlsAlpn01Challenges::PublishResult TlsAlpn01Challenges::publish(std::string_view name,
                                                                std::string_view certPem,
                                                                std::string_view keyPem,
                                                                const void* owner) {
    if (!isValidName(name) || !isValidPair(certPem, keyPem)) return PublishResult::Invalid;
    std::lock_guard<std::mutex> change(_changeMutex);
    if (!_listener) return PublishResult::NoListener;
    const std::string key = lowerCase(name);
    Entry entry{std::string(certPem), rport::sdk::SecretString(keyPem), owner};
    std::optional<Entry> replaced;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _challenges.find(key);
        if (it != _challenges.end()) replaced = it->second;
        _challenges[key] = entry;
    }
    if (notify(key, &entry.certPem, &entry.keyPem)) return PublishResult::Published;
    // Not answered: nothing of this publish may stay, and the TLS layer is
    // told so (it may hold a half-done state, or the pair it replaced).
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (replaced)
            _challenges[key] = *replaced;
        else
            _challenges.erase(key);
    }
    if (replaced)
        notify(key, &replaced->certPem, &replaced->keyPem);
    else
        notify(key, nullptr, nullptr);
    return PublishResult::Refused;
}

bool TlsAlpn01Challenges::withdraw(std::string_view name, const void* owner) {
    if (!isValidName(name)) return false;
    const std::string key = lowerCase(name);
    std::lock_guard<std::mutex> change(_changeMutex);
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _challenges.find(key);
        if (it == _challenges.end() || it->second.owner != owner) return false;
        _challenges.erase(it);
    }
    notify(key, nullptr, nullptr);
    return true;
}

void TlsAlpn01Challenges::withdrawAll(const void* owner) {
    std::lock_guard<std::mutex> change(_changeMutex);
    std::vector<std::string> withdrawn;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (auto it = _challenges.begin(); it != _challenges.end();) {
            if (it->second.owner == owner) {
                withdrawn.push_back(it->first);
                it = _challenges.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const std::string& name : withdrawn) notify(name, nullptr, nullptr);
}

bool TlsAlpn01Challenges::notify(const std::string& name, const std::string* certPem,
                                 const rport::sdk::SecretString* keyPem) noexcept {
    if (!_listener) return false;
    try {
        return _listener(name, certPem, keyPem);
    } catch (const std::exception& e) {
        Poco::Logger::get("plugins").error("TLS-ALPN-01 listener failed for %s: %s", name,
                                           std::string(e.what()));
    } catch (...) {
        Poco::Logger::get("plugins").error("TLS-ALPN-01 listener failed for %s", name);
    }
    return false;
}

std::optional<std::pair<std::string, rport::sdk::SecretString>> TlsAlpn01Challenges::find(
    std::string_view name) const {
    const std::string key = lowerCase(name);
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _challenges.find(key);
    if (it == _challenges.end()) return std::nullopt;
    return std::make_pair(it->second.certPem, it->second.keyPem);
}

size_t TlsAlpn01Challenges::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _challenges.size();
}

}  // namespace rportd::plugin_host
