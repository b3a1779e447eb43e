#include "FileStoreSettings.h"

#include <cstdint>
#include <limits>

namespace rport::plugins::file_auth {
namespace {

// A whole number no larger than 2^32-1, or fallback when the setting is absent.
uint64_t readWholeNumber(const sdk::Host& host, const char* key, const char* unit,
                         uint64_t fallback) {
    auto text = host.setting(key);
    if (!text) return fallback;
    uint64_t value = 0;
    bool valid = !text->empty();
    for (char c : *text) {
        if (c < '0' || c > '9' || value > std::numeric_limits<uint32_t>::max()) {
            valid = false;
            break;
        }
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!valid || value > std::numeric_limits<uint32_t>::max())
        throw sdk::Error(RPORT_E_INVALID, std::string("setting '") + key +
                                              "' must be a whole number of " + unit + ", got \"" +
                                              *text + "\"");
    return value;
}

}  // namespace

FileStoreSettings readSettings(const sdk::Host& host, const std::string& fileTitle) {
    FileStoreSettings s;
    s.path = host.requireSetting("path");
    if (s.path.empty())
        throw sdk::Error(RPORT_E_INVALID, "setting 'path' must name the " + fileTitle);
    s.writesExpected = host.flag("write", true);
    s.useInotify = host.flag("inotify", true);
    s.checkInterval = std::chrono::milliseconds(readWholeNumber(
        host, "check_interval_ms", "milliseconds", static_cast<uint64_t>(s.checkInterval.count())));
    s.maxFileBytes = readWholeNumber(host, "max_file_bytes", "bytes", s.maxFileBytes);
    if (s.maxFileBytes == 0)
        throw sdk::Error(RPORT_E_INVALID, "setting 'max_file_bytes' must be at least 1");
    return s;
}

}  // namespace rport::plugins::file_auth
