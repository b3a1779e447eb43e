// Problem documents: parsing (type, detail, status, subproblems,
// Retry-After), and the plain words each kind turns into, with what to do.
#include <cppunit/extensions/HelperMacros.h>

#include "Problem.h"

using namespace rport::plugins::acme;

namespace {

const int64_t kNow = 1700000000;

HttpResult problemResponse(int status, const std::string& body,
                           const std::string& retryAfter = "") {
    HttpResult r;
    r.method = "POST";
    r.url = "https://ca.test/new-order";
    r.status = status;
    r.contentType = "application/problem+json";
    r.body = body;
    r.retryAfter = retryAfter;
    return r;
}

Problem problem(const std::string& type, const std::string& detail = "detail text") {
    Problem p;
    p.type = "urn:ietf:params:acme:error:" + type;
    p.detail = detail;
    return p;
}

ProblemContext context(const std::string& challenge = "", const std::string& httpPort = "8080") {
    ProblemContext c;
    c.name = "rport.example.com";
    c.challenge = challenge;
    c.httpPort = httpPort;
    c.directoryUrl = "https://acme-v02.api.letsencrypt.org/directory";
    c.email = "admin@example.com";
    return c;
}

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

#define ASSERT_HAS(text, needle) CPPUNIT_ASSERT_MESSAGE(std::string(text), has(text, needle))
#define ASSERT_LACKS(text, needle) CPPUNIT_ASSERT_MESSAGE(std::string(text), !has(text, needle))

}  // namespace

class ProblemTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProblemTest);
    CPPUNIT_TEST(parsesAProblemDocument);
    CPPUNIT_TEST(noProblemInOtherAnswers);
    CPPUNIT_TEST(rateLimitSaysWhenAndSuggestsStaging);
    CPPUNIT_TEST(connectionNamesThePorts);
    CPPUNIT_TEST(tlsAlpnNamesPort443);
    CPPUNIT_TEST(unauthorizedChallenge);
    CPPUNIT_TEST(dnsCaaAndRejectedIdentifier);
    CPPUNIT_TEST(externalAccountRequired);
    CPPUNIT_TEST(userActionAndContact);
    CPPUNIT_TEST(subproblemsAreListed);
    CPPUNIT_TEST(networkTextIsEscaped);
    CPPUNIT_TEST(whatNeedsTheOperator);
    CPPUNIT_TEST(unknownTypes);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesAProblemDocument() {
        const auto p = Problem::fromResponse(
            problemResponse(
                403,
                R"({"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"Error creating new order",)"
                R"("status":403,"instance":"https://ca.test/docs","subproblems":[{"type":)"
                R"("urn:ietf:params:acme:error:caa","detail":"CAA forbids","identifier":{"type":"dns","value":"a.example.com"}}]})",
                "120"),
            kNow);
        CPPUNIT_ASSERT(p.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("rejectedIdentifier"), p->shortType());
        CPPUNIT_ASSERT(p->is("rejectedIdentifier"));
        CPPUNIT_ASSERT_EQUAL(std::string("Error creating new order"), p->detail);
        CPPUNIT_ASSERT_EQUAL(403, p->status);
        CPPUNIT_ASSERT_EQUAL(std::string("https://ca.test/docs"), p->instance);
        CPPUNIT_ASSERT_EQUAL(size_t(1), p->subproblems.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a.example.com"), p->subproblems[0].identifier);
        CPPUNIT_ASSERT_EQUAL(int64_t(120), *p->retryAfterSeconds);
    }

    void noProblemInOtherAnswers() {
        HttpResult ok = problemResponse(200, "{}");
        CPPUNIT_ASSERT(!Problem::fromResponse(ok, kNow));
        HttpResult html = problemResponse(502, "<html>Bad Gateway</html>");
        html.contentType = "text/html";
        CPPUNIT_ASSERT(!Problem::fromResponse(html, kNow));
        // A problem without a type member still counts when so labelled.
        const auto blank =
            Problem::fromResponse(problemResponse(500, R"({"detail":"oops"})"), kNow);
        CPPUNIT_ASSERT(blank);
        CPPUNIT_ASSERT_EQUAL(std::string("about:blank"), blank->type);
        CPPUNIT_ASSERT_EQUAL(500, blank->status);
    }

    void rateLimitSaysWhenAndSuggestsStaging() {
        Problem p = problem("rateLimited", "too many certificates already issued");
        p.retryAfterSeconds = 3600;
        const std::string text = explainProblem(p, context());
        ASSERT_HAS(text, "rate limit");
        ASSERT_HAS(text, "too many certificates already issued");
        ASSERT_HAS(text, "wait 1h before trying again");
        ASSERT_HAS(text, "https://acme-staging-v02.api.letsencrypt.org/directory");
        ProblemContext staging = context();
        staging.directoryUrl = "https://acme-staging-v02.api.letsencrypt.org/directory";
        ASSERT_LACKS(explainProblem(p, staging), "use the staging directory");
    }

    void connectionNamesThePorts() {
        const std::string text = explainProblem(
            problem("connection", "dial tcp: connection refused"), context("http-01"));
        ASSERT_HAS(text, "could not connect to rport.example.com for the http-01 challenge");
        ASSERT_HAS(text, "connection refused");
        ASSERT_HAS(text, "port 80 of rport.example.com");
        ASSERT_HAS(text, "port 80 must reach rportd's acme_http_port (port 8080)");
        const std::string unset = explainProblem(problem("connection"), context("http-01", ""));
        ASSERT_HAS(unset, "acme_http_port (set [server] acme_http_port)");
    }

    void tlsAlpnNamesPort443() {
        const std::string text = explainProblem(
            problem("tls", "remote error: tls: no application protocol"), context("tls-alpn-01"));
        ASSERT_HAS(text, "TLS connection the CA made to rport.example.com failed");
        ASSERT_HAS(text, "port 443 must reach rportd's API listener");
        ASSERT_LACKS(text, "port 80");
    }

    void unauthorizedChallenge() {
        const std::string text =
            explainProblem(problem("unauthorized", "The key authorization file does not match"),
                           context("http-01"));
        ASSERT_HAS(text, "did not receive the expected http-01 answer");
        ASSERT_HAS(text, "another server may be answering");
        ASSERT_HAS(text, "port 80 must reach");
        ASSERT_HAS(explainProblem(problem("incorrectResponse"), context("http-01")),
                   "answer was wrong");
        // Outside a validation it is about the request, not a port.
        ASSERT_LACKS(explainProblem(problem("unauthorized"), context()), "port 80");
    }

    void dnsCaaAndRejectedIdentifier() {
        ASSERT_HAS(explainProblem(problem("dns", "NXDOMAIN"), context("http-01")),
                   "A or AAAA record");
        const std::string caa = explainProblem(problem("caa"), context());
        ASSERT_HAS(caa, "CAA record");
        ASSERT_HAS(caa, "letsencrypt.org");
        ASSERT_HAS(explainProblem(problem("rejectedIdentifier"), context()),
                   "will not issue a certificate for rport.example.com");
    }

    void externalAccountRequired() {
        ASSERT_HAS(explainProblem(problem("externalAccountRequired"), context()),
                   "set [acme] eab_kid and eab_hmac_key");
    }

    void userActionAndContact() {
        Problem action = problem("userActionRequired", "Terms of service have changed");
        action.instance = "https://ca.test/tos-2";
        const std::string text = explainProblem(action, context());
        ASSERT_HAS(text, "see https://ca.test/tos-2");
        ASSERT_HAS(text, "Terms of service have changed");
        ASSERT_HAS(explainProblem(problem("invalidContact"), context()), "\"admin@example.com\"");
        ASSERT_HAS(explainProblem(problem("invalidContact"), context()), "email setting");
    }

    void subproblemsAreListed() {
        Problem p = problem("compound", "several things");
        p.subproblems.push_back({"urn:ietf:params:acme:error:caa", "CAA forbids", "a.example.com"});
        p.subproblems.push_back({"urn:ietf:params:acme:error:dns", "NXDOMAIN", "b.example.com"});
        const std::string text = explainProblem(p, context("http-01"));
        ASSERT_HAS(text, "several problems");
        ASSERT_HAS(text, "[a.example.com: a CAA record in the DNS of a.example.com");
        ASSERT_HAS(text, "[b.example.com: the CA could not look up b.example.com");
    }

    void networkTextIsEscaped() {
        const std::string text =
            explainProblem(problem("malformed", "bad\nINFO forged line\x1b[31m"), context());
        ASSERT_LACKS(text, "\n");
        ASSERT_LACKS(text, "\x1b");
        ASSERT_HAS(text, "bad\\x0aINFO forged line\\x1b[31m");
    }

    void whatNeedsTheOperator() {
        CPPUNIT_ASSERT(problemNeedsOperator(problem("caa")));
        CPPUNIT_ASSERT(problemNeedsOperator(problem("rejectedIdentifier")));
        CPPUNIT_ASSERT(problemNeedsOperator(problem("externalAccountRequired")));
        CPPUNIT_ASSERT(!problemNeedsOperator(problem("rateLimited")));
        CPPUNIT_ASSERT(!problemNeedsOperator(problem("connection")));
        CPPUNIT_ASSERT(!problemNeedsOperator(problem("serverInternal")));
        Problem compound = problem("compound");
        compound.subproblems.push_back({"urn:ietf:params:acme:error:caa", "", "x.example.com"});
        CPPUNIT_ASSERT(problemNeedsOperator(compound));
    }

    void unknownTypes() {
        Problem p;
        p.type = "https://ca.test/problems/odd";
        p.status = 418;
        p.detail = "teapot";
        const std::string text = explainProblem(p, context());
        ASSERT_HAS(text, "418 https://ca.test/problems/odd");
        ASSERT_HAS(text, "teapot");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProblemTest);
