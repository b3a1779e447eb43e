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

void RenewalPlan::setCertificate(int64_t notBefore, int64_t notAfter) {
    _notBefore = notBefore;
    _notAfter = notAfter;
    clearWindow();
}

void RenewalPlan::setWindow(const RenewalWindow& window, uint64_t random) {
    if (_window && *_window == window) return;
    _window = window;
    _chosen = pickInWindow(window, random);
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
