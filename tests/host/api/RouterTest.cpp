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
        CPPUNIT_ASSERT_EQUAL(size_t(2), m.allowedMethods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), m.allowedMethods[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), m.allowedMethods[1]);
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
