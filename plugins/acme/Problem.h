#pragma once
// ACME problem documents (RFC 7807 as used by RFC 8555 §6.7), and what they
// mean for the operator: each known type is turned into plain words that say
// what happened and what to do about it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "HttpResult.h"

namespace rport::plugins::acme {

struct Subproblem {
    std::string type;  // full URN, e.g. urn:ietf:params:acme:error:caa
    std::string detail;
    std::string identifier;  // the DNS name it concerns, when given
};

struct Problem {
    std::string type;  // full URN; "about:blank" when the server sent none
    std::string detail;
    int status = 0;
    std::string instance;  // a page for the operator (userActionRequired)
    std::vector<Subproblem> subproblems;
    std::optional<int64_t> retryAfterSeconds;  // from the response's Retry-After

    // The part after "urn:ietf:params:acme:error:" ("rateLimited"), or the
    // whole type for other namespaces.
    std::string shortType() const;
    bool is(const std::string& acmeShortType) const { return shortType() == acmeShortType; }

    // The problem in a response (application/problem+json, or any body with a
    // "type" member on an error status); nullopt when there is none.
    static std::optional<Problem> fromResponse(const HttpResult& response, int64_t nowUnix);
    // A problem object inside another document (a challenge's "error").
    static Problem fromJson(const std::string& json);
};

// What the plain words may refer to.
struct ProblemContext {
    std::string name;          // the DNS name being ordered
    std::string challenge;     // "http-01" / "tls-alpn-01" when a validation failed, else ""
    std::string httpPort;      // rportd's acme_http_port, "" when unknown
    std::string directoryUrl;  // to recognise Let's Encrypt's staging directory
    std::string email;         // the contact sent, for invalidContact
};

// One paragraph for the log and the status report: what the CA said, what it
// means, what to do. Network text in it is already made printable.
std::string explainProblem(const Problem& problem, const ProblemContext& context);

// True when retrying cannot help until the operator changes something
// (DNS, CAA, settings, the CA's terms), as opposed to a transient failure.
bool problemNeedsOperator(const Problem& problem);

}  // namespace rport::plugins::acme
