#include <cppunit/extensions/HelperMacros.h>

#include "api/BasicCredentials.h"

using rportd::api::parseBasicAuthorization;

class BasicCredentialsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BasicCredentialsTest);
    CPPUNIT_TEST(decodesUserAndPassword);
    CPPUNIT_TEST(passwordKeepsLaterColons);
    CPPUNIT_TEST(schemeIsCaseInsensitive);
    CPPUNIT_TEST(refusesEverythingElse);
    CPPUNIT_TEST_SUITE_END();

public:
    void decodesUserAndPassword() {
        auto c = parseBasicAuthorization("Basic YWRtaW46Zm9vYmF6");  // admin:foobaz
        CPPUNIT_ASSERT(c);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), c->username);
        CPPUNIT_ASSERT_EQUAL(std::string("foobaz"), c->password);
    }
    void passwordKeepsLaterColons() {
        auto c = parseBasicAuthorization("Basic dTpwOnc6eA==");  // u:p:w:x
        CPPUNIT_ASSERT_EQUAL(std::string("p:w:x"), c->password);
    }
    void schemeIsCaseInsensitive() { CPPUNIT_ASSERT(parseBasicAuthorization("bAsIc YWRtaW46Zm9vYmF6")); }
    void refusesEverythingElse() {
        for (const char* bad : {"", "Basic", "Basic ", "Bearer YWRtaW46Zm9vYmF6", "Basic !!!", "Basic YWRtaW4=",
                                "Basic YWRt aW46Zm9vYmF6"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseBasicAuthorization(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BasicCredentialsTest);
