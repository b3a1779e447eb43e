#include "auth/LoginThrottle.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <vector>

#include "util/QuotedText.h"

namespace rportd::auth {

int64_t LoginThrottle::bannedFor(std::string_view address, int64_t nowMillis) const {
    if (!bansEnabled()) return 0;
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _addresses.find(std::string(address));
    if (it == _addresses.end() || it->second.bannedUntil <= nowMillis) return 0;
    return it->second.bannedUntil - nowMillis;
}

std::string LoginThrottle::idAtAddress(std::string_view clientAuthId, std::string_view address) {
    // A NUL cannot occur in an address, so two pairs cannot collide.
    std::string key(address);
    key.push_back('\0');
    key.append(clientAuthId);
    return key;
}

int64_t LoginThrottle::waitFor(std::string_view clientAuthId, std::string_view address,
                               int64_t nowMillis) const {
    if (_settings.loginWaitMillis <= 0) return 0;
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _idWaitUntil.find(idAtAddress(clientAuthId, address));
    if (it == _idWaitUntil.end() || it->second <= nowMillis) return 0;
    return it->second - nowMillis;
}

bool LoginThrottle::recordFailure(std::string_view clientAuthId, std::string_view address,
                                  int64_t nowMillis) {
    Poco::Logger& log = Poco::Logger::get("security");
    log.information("failed login from %s to %s as %s", std::string(address), _settings.door,
                    util::quotedForLog(clientAuthId));
    bool banned = false;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        prune(nowMillis);
        if (_settings.loginWaitMillis > 0)
            _idWaitUntil[idAtAddress(clientAuthId, address)] =
                nowMillis + _settings.loginWaitMillis;
        if (!bansEnabled()) return false;
        AddressRecord& record = _addresses[std::string(address)];
        record.lastFailure = nowMillis;
        if (++record.failures >= _settings.maxFailedLogins) {
            record.failures = 0;
            record.bannedUntil = nowMillis + _settings.banMillis;
            banned = true;
        }
    }
    if (banned)
        log.warning("banned %s for %s s after %s failed logins to %s", std::string(address),
                    std::to_string((_settings.banMillis + 999) / 1000),
                    std::to_string(_settings.maxFailedLogins), _settings.door);
    return banned;
}

void LoginThrottle::recordSuccess(std::string_view address) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _addresses.find(std::string(address));
    if (it != _addresses.end() && it->second.bannedUntil == 0)
        _addresses.erase(it);
    else if (it != _addresses.end())
        it->second.failures = 0;
}

void LoginThrottle::prune(int64_t nowMillis) {
    bool full =
        _idWaitUntil.size() >= _settings.maxEntries || _addresses.size() >= _settings.maxEntries;
    // Expired entries are swept at most once a second, or at once when full.
    if (!full && nowMillis - _lastPrune < 1000) return;
    _lastPrune = nowMillis;
    for (auto it = _idWaitUntil.begin(); it != _idWaitUntil.end();)
        it = it->second <= nowMillis ? _idWaitUntil.erase(it) : std::next(it);
    // A failure count without a ban is forgotten after a ban time of quiet,
    // the window the original keeps it for as well.
    for (auto it = _addresses.begin(); it != _addresses.end();) {
        const AddressRecord& r = it->second;
        bool stale = r.bannedUntil <= nowMillis && nowMillis - r.lastFailure >= _settings.banMillis;
        it = stale ? _addresses.erase(it) : std::next(it);
    }
    auto evictOldest = [this](auto& table, auto age) {
        if (table.size() < _settings.maxEntries) return;
        std::vector<std::pair<int64_t, std::string>> byAge;
        for (const auto& [key, value] : table) byAge.emplace_back(age(value), key);
        size_t drop = table.size() - _settings.maxEntries / 2;
        std::nth_element(byAge.begin(), byAge.begin() + static_cast<long>(drop), byAge.end());
        for (size_t i = 0; i < drop; ++i) table.erase(byAge[i].second);
    };
    evictOldest(_idWaitUntil, [](int64_t until) { return until; });
    evictOldest(_addresses,
                [](const AddressRecord& r) { return std::max(r.lastFailure, r.bannedUntil); });
}

}  // namespace rportd::auth
