#include <cppunit/extensions/HelperMacros.h>

#include "api/Router.h"

using rportd::api::Access;
using rportd::api::Router;

class RouterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RouterTest);
    CPPUNIT_TEST(matchesLiteralRoutes);
    CPPUNIT_TEST(capturesVariables);
    CPPUNIT_TEST(reportsWrongMethodWithAllowedList);
    CPPUNIT_TEST(unknownPathsAreNotFound);
    CPPUNIT_TEST(variablesNeverMatchEmptySegments);
    CPPUNIT_TEST(headIsServedByTheGetRoute);
    CPPUNIT_TEST(anOwnHeadRouteWinsOverGet);
    CPPUNIT_TEST(splitsTheRawPathBeforeDecodingSegments);
    CPPUNIT_TEST(refusesBrokenPercentEscapes);
    CPPUNIT_TEST(listsEveryMethod);
    CPPUNIT_TEST(listsEveryRouteInRegistrationOrder);
    CPPUNIT_TEST_SUITE_END();

    Router router;

public:
    void setUp() override {
        auto nop = [](rportd::api::ApiContext&) {};
        router.add("GET", "/api/v1/status", Access::Authenticated, nop);
        router.add("GET", "/api/v1/clients-auth", Access::Administrators, nop);
        router.add("POST", "/api/v1/clients-auth", Access::Administrators, nop);
        router.add("GET", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators, nop);
        router.add("DELETE", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators, nop);
    }

    void matchesLiteralRoutes() {
        auto m = router.match("GET", "/api/v1/status");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/status"), m.route->pattern);
    }

    void capturesVariables() {
        auto m = router.match("DELETE", "/api/v1/clients-auth/client 1");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(size_t(1), m.params.size());
        CPPUNIT_ASSERT_EQUAL(std::string("client_auth_id"), m.params[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("client 1"), m.params[0].second);
    }

    void reportsWrongMethodWithAllowedList() {
        auto m = router.match("PUT", "/api/v1/clients-auth");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(size_t(3), m.allowedMethods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), m.allowedMethods[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD"), m.allowedMethods[1]);  // wherever GET is
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), m.allowedMethods[2]);
    }

    void unknownPathsAreNotFound() {
        CPPUNIT_ASSERT(router.match("GET", "/api/v1/nope").kind == Router::Match::Kind::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/api/v1/status/").kind == Router::Match::Kind::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/").kind == Router::Match::Kind::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "").kind == Router::Match::Kind::NotFound);
    }

    void variablesNeverMatchEmptySegments() {
        CPPUNIT_ASSERT(router.match("GET", "/api/v1/clients-auth/").kind == Router::Match::Kind::NotFound);
    }

    void headIsServedByTheGetRoute() {
        auto m = router.match("HEAD", "/api/v1/status");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), m.route->method);
        auto v = router.match("HEAD", "/api/v1/clients-auth/a%20b");
        CPPUNIT_ASSERT(v.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), v.route->method);
        CPPUNIT_ASSERT_EQUAL(std::string("a b"), v.params.at(0).second);
        CPPUNIT_ASSERT(router.match("HEAD", "/api/v1/nope").kind == Router::Match::Kind::NotFound);

        // No GET on the path: no HEAD either.
        Router postOnly;
        postOnly.add("POST", "/api/v1/login", Access::Public, [](rportd::api::ApiContext&) {});
        auto p = postOnly.match("HEAD", "/api/v1/login");
        CPPUNIT_ASSERT(p.kind == Router::Match::Kind::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(size_t(1), p.allowedMethods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), p.allowedMethods[0]);

        auto d = router.match("PUT", "/api/v1/clients-auth/x");
        CPPUNIT_ASSERT(d.kind == Router::Match::Kind::MethodNotAllowed);
        CPPUNIT_ASSERT_EQUAL(size_t(3), d.allowedMethods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), d.allowedMethods[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD"), d.allowedMethods[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("DELETE"), d.allowedMethods[2]);
    }

    void anOwnHeadRouteWinsOverGet() {
        Router r;
        int called = 0;
        r.add("GET", "/x", Access::Public, [&called](rportd::api::ApiContext&) { called = 1; });
        r.add("HEAD", "/x", Access::Public, [&called](rportd::api::ApiContext&) { called = 2; });
        auto m = r.match("HEAD", "/x");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD"), m.route->method);
        auto wrong = r.match("POST", "/x");
        CPPUNIT_ASSERT_EQUAL(size_t(2), wrong.allowedMethods.size());  // HEAD listed once
    }

    void splitsTheRawPathBeforeDecodingSegments() {
        // An escaped slash stays inside its segment and reaches the variable decoded.
        auto m = router.match("GET", "/api/v1/clients-auth/x%2Fy");
        CPPUNIT_ASSERT(m.kind == Router::Match::Kind::Found);
        CPPUNIT_ASSERT_EQUAL(std::string("x/y"), m.params.at(0).second);
        CPPUNIT_ASSERT_EQUAL(std::string("/"), router.match("DELETE", "/api/v1/clients-auth/%2f").params.at(0).second);
        CPPUNIT_ASSERT_EQUAL(std::string("100%"), router.match("GET", "/api/v1/clients-auth/100%25").params.at(0).second);
        CPPUNIT_ASSERT_EQUAL(std::string("a+b"), router.match("GET", "/api/v1/clients-auth/a+b").params.at(0).second);
        // ... and does not separate segments of the pattern.
        CPPUNIT_ASSERT(router.match("GET", "/api%2Fv1/status").kind == Router::Match::Kind::NotFound);
        CPPUNIT_ASSERT(router.match("GET", "/api/v1/clients-auth%2Fx").kind == Router::Match::Kind::NotFound);
        // Literal segments compare decoded, as gorilla/mux does.
        CPPUNIT_ASSERT(router.match("GET", "/api/v1/%73tatus").kind == Router::Match::Kind::Found);
    }

    void refusesBrokenPercentEscapes() {
        for (const char* path : {"/api/v1/clients-auth/%zz", "/api/v1/clients-auth/%4", "/api/v1/clients-auth/%",
                                 "/api/v1/clients-auth/a%", "/api/v1/clients-auth/%%41", "/api/v1/clients-auth/%4g",
                                 "/api/v1/nope/%zz", "/%/status"}) {
            CPPUNIT_ASSERT_MESSAGE(path, router.match("GET", path).kind == Router::Match::Kind::InvalidPath);
        }
    }

    void listsEveryMethod() {
        auto all = router.methods();
        CPPUNIT_ASSERT_EQUAL(size_t(4), all.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), all[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD"), all[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), all[2]);
        CPPUNIT_ASSERT_EQUAL(std::string("DELETE"), all[3]);
    }

    void listsEveryRouteInRegistrationOrder() {
        // HEAD is answered by GET routes but is no route of its own.
        const std::vector<std::string> expected{"GET /api/v1/status",
                                                "GET /api/v1/clients-auth",
                                                "POST /api/v1/clients-auth",
                                                "GET /api/v1/clients-auth/{client_auth_id}",
                                                "DELETE /api/v1/clients-auth/{client_auth_id}"};
        CPPUNIT_ASSERT(expected == router.signatures());
        CPPUNIT_ASSERT(Router().signatures().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
