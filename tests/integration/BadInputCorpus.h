#pragma once
// The bad-input corpus: thousands of malformed API requests, generated from
// a fixed seed so that every run sends the same bytes, each with the answers
// it may get. Every request is meant to fail: a request the server could
// serve successfully (a valid login, a delete of an existing credential)
// never enters the corpus, so any 2xx is a finding.
//
// The corpus knows every route of the API (knownRoutes); the test compares
// that list with the one rportd logs at start, so a new route fails the test
// until it is covered here.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace rport::test::badinput {

enum class Access { Public, Authenticated, Administrators };

struct KnownRoute {
    std::string method;
    std::string pattern;  // with {variables}, as registered
    Access access;
};

// Every route the corpus covers, as rportd registers them.
const std::vector<KnownRoute>& knownRoutes();

// What valid callers present, so that malformed requests can get past
// authentication and reach the handlers.
struct Callers {
    std::string adminPassword;   // user "admin", group Administrators
    std::string viewerPassword;  // user "viewer", group Users
    std::string adminToken;      // a bearer token of admin from /login
    std::string expiredToken;    // one of admin that has expired
    std::string revokedToken;    // one of admin ended by /logout
    std::string existingClientAuthId;
};

struct BadRequest {
    std::string category;
    std::string bytes;         // exactly what goes on the wire
    std::set<int> expected;    // the statuses that are a correct answer
    bool headRequest = false;  // the answer carries no body (RFC 9110 9.3.2)
};

// The corpus for these callers; the same seed gives the same requests.
// Every request is distinct.
std::vector<BadRequest> generateCorpus(const Callers& callers, uint32_t seed);

// "Basic " + base64(user:password).
std::string basicAuthorization(const std::string& user, const std::string& password);

}  // namespace rport::test::badinput
