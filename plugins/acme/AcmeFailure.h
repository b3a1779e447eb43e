#pragma once
// Why an attempt to get a certificate failed, in plain words, with what the
// retry policy needs: whether waiting alone can help, and how long the CA
// asked us to wait.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace rport::plugins::acme {

class AcmeFailure : public std::runtime_error {
public:
    explicit AcmeFailure(const std::string& message, bool needsOperator = false,
                         std::optional<int64_t> retryAfterSeconds = std::nullopt,
                         std::string problemType = "")
        : std::runtime_error(message),
          _needsOperator(needsOperator),
          _retryAfterSeconds(retryAfterSeconds),
          _problemType(std::move(problemType)) {}

    // True when the operator has to change something (DNS, settings, the
    // CA's terms) before a retry can succeed.
    bool needsOperator() const noexcept { return _needsOperator; }
    const std::optional<int64_t>& retryAfterSeconds() const noexcept { return _retryAfterSeconds; }
    // The ACME problem's short type ("rateLimited"), "" when none.
    const std::string& problemType() const noexcept { return _problemType; }

    // rportd answered RPORT_E_UNAVAILABLE: it is closing this instance, so
    // the attempt ends without anything to report.
    static AcmeFailure hostClosing(const std::string& message) {
        AcmeFailure f(message);
        f._hostClosing = true;
        return f;
    }
    bool isHostClosing() const noexcept { return _hostClosing; }

private:
    bool _needsOperator;
    std::optional<int64_t> _retryAfterSeconds;
    std::string _problemType;
    bool _hostClosing = false;
};

}  // namespace rport::plugins::acme
