#pragma once
// When to renew: at two thirds of the certificate's lifetime, unless the CA
// suggests a window through ACME Renewal Information (RFC 9773), in which
// case a random moment inside that window (random so that many servers do
// not all renew at once). And how long to wait after a failure: capped
// exponential backoff, unless the CA asked for longer.
#include <cstdint>
#include <optional>
#include <string>

namespace rport::plugins::acme {

// notBefore + 2/3 (notAfter - notBefore), Unix seconds.
int64_t twoThirdsPoint(int64_t notBefore, int64_t notAfter);

// A suggested renewal window (RFC 9773 §4.2), Unix seconds.
struct RenewalWindow {
    int64_t start = 0;
    int64_t end = 0;
    bool operator==(const RenewalWindow& o) const { return start == o.start && end == o.end; }
    bool operator!=(const RenewalWindow& o) const { return !(*this == o); }
};

// The window in a renewalInfo response body; nullopt when it is missing or
// invalid (end not after start).
std::optional<RenewalWindow> parseRenewalInfo(const std::string& json);

// A moment in [start, end) chosen by random (any 64-bit number).
int64_t pickInWindow(const RenewalWindow& window, uint64_t random);

// The wait after the failures-th failure in a row (1 = first): min doubled
// per failure, at most max.
int64_t backoffMs(int failures, int64_t minMs, int64_t maxMs);

// The longest wait a CA may impose (Retry-After): 7 days.
constexpr int64_t kCaWaitCapMs = 7LL * 24 * 3600 * 1000;
// A CA-requested wait bounded so that a certificate cannot expire while we
// obey it: at most kCaWaitCapMs and, with a certificate in force (notAfter
// in Unix seconds, 0: none), never past notAfter minus one day; never
// shorter than minMs (retry_min) for all that.
int64_t boundedCaWaitMs(int64_t requestedMs, int64_t nowMs, int64_t notAfter, int64_t minMs);

class RenewalPlan {
public:
    // A certificate is in force (resets the window: it belonged to the old one).
    void setCertificate(int64_t notBefore, int64_t notAfter);
    // The CA's window for this certificate. The random moment is kept while
    // the window stays the same, and chosen anew when it changes. A window
    // that ends after notAfter, or a moment after notAfter - lifetime/10, is
    // not used (false; the plan falls back to two thirds of the lifetime).
    bool setWindow(const RenewalWindow& window, uint64_t random);
    void clearWindow();

    bool hasCertificate() const { return _notAfter != 0; }
    // Unix seconds; 0 without a certificate (renew at once).
    int64_t renewAt() const;
    // How renewAt() was chosen, in words for the log.
    std::string basis() const;
    const std::optional<RenewalWindow>& window() const { return _window; }

private:
    int64_t _notBefore = 0;
    int64_t _notAfter = 0;
    std::optional<RenewalWindow> _window;
    int64_t _chosen = 0;
};

}  // namespace rport::plugins::acme
