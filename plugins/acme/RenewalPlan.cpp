#include "RenewalPlan.h"

#include "JsonReader.h"
#include "TimeText.h"

namespace rport::plugins::acme {

int64_t twoThirdsPoint(int64_t notBefore, int64_t notAfter) {
    if (notAfter <= notBefore) return notBefore;
    return notBefore + (notAfter - notBefore) * 2 / 3;
}

std::optional<RenewalWindow> parseRenewalInfo(const std::string& json) {
    try {
        const auto object = parseJsonObject(json, "the renewal information");
        const auto window = objectMember(object, "suggestedWindow");
        const auto start = parseRfc3339(stringMember(window, "start"));
        const auto end = parseRfc3339(stringMember(window, "end"));
        if (!start || !end || *end <= *start) return std::nullopt;
        return RenewalWindow{*start, *end};
    } catch (const JsonError&) {
        return std::nullopt;
    }
}

int64_t pickInWindow(const RenewalWindow& window, uint64_t random) {
    const uint64_t span = static_cast<uint64_t>(window.end - window.start);
    return span == 0 ? window.start : window.start + static_cast<int64_t>(random % span);
}

int64_t backoffMs(int failures, int64_t minMs, int64_t maxMs) {
    if (failures < 1) return 0;
    int64_t delay = minMs;
    for (int i = 1; i < failures && delay < maxMs; ++i) delay *= 2;
    return delay < maxMs ? delay : maxMs;
}

int64_t boundedCaWaitMs(int64_t requestedMs, int64_t nowMs, int64_t notAfter, int64_t minMs) {
    int64_t cap = kCaWaitCapMs;
    if (notAfter > 0) {
        const int64_t lastDayMs = notAfter * 1000 - 24LL * 3600 * 1000;
        if (lastDayMs - nowMs < cap) cap = lastDayMs - nowMs;
    }
    if (cap < minMs) cap = minMs;
    if (requestedMs < 0) return 0;
    return requestedMs < cap ? requestedMs : cap;
}

void RenewalPlan::setCertificate(int64_t notBefore, int64_t notAfter) {
    _notBefore = notBefore;
    _notAfter = notAfter;
    clearWindow();
}

bool RenewalPlan::setWindow(const RenewalWindow& window, uint64_t random) {
    if (_window && *_window == window) return true;
    if (!hasCertificate() || window.end > _notAfter) {
        clearWindow();
        return false;
    }
    const int64_t chosen = pickInWindow(window, random);
    const int64_t latest = _notAfter - (_notAfter - _notBefore) / 10;
    if (chosen > latest) {
        clearWindow();
        return false;
    }
    _window = window;
    _chosen = chosen;
    return true;
}

void RenewalPlan::clearWindow() {
    _window.reset();
    _chosen = 0;
}

int64_t RenewalPlan::renewAt() const {
    if (!hasCertificate()) return 0;
    if (_window) return _chosen;
    return twoThirdsPoint(_notBefore, _notAfter);
}

std::string RenewalPlan::basis() const {
    if (_window)
        return "a random moment in the CA's renewal window " + utcText(_window->start) + " to " +
               utcText(_window->end);
    return "two thirds of the certificate's lifetime";
}

}  // namespace rport::plugins::acme
