// Which client versions a reconnecting client may have (hashicorp/go-version
// 1.5, as the original uses it).
#include <cppunit/extensions/HelperMacros.h>

#include "clients/GoVersion.h"

using rportd::clients::versionError;

class GoVersionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GoVersionTest);
    CPPUNIT_TEST(acceptsWhatTheLibraryAccepts);
    CPPUNIT_TEST(refusesWithTheLibrarysWords);
    CPPUNIT_TEST_SUITE_END();

public:
    void acceptsWhatTheLibraryAccepts() {
        for (const char* ok :
             {"0.9.13-10-gc3214387", "0.9.13", "1", "v1.2.3", "1.2.3-rc.1", "1.2.3+build.5",
              "1.2.3-beta+exp.sha.5114f85", "1.2-", "1.2.3~x", "1.2alpha", "0.6.4-src"})
            CPPUNIT_ASSERT_MESSAGE(ok, !versionError(ok));
    }

    void refusesWithTheLibrarysWords() {
        for (const char* bad : {"", "v", "x1", "1.", "1..2", "1.2.x", "1.2+", "1.2-a..b", "1.2 ",
                                " 1.2", "1.2-a+b+c", "1.2-é"})
            CPPUNIT_ASSERT_MESSAGE(bad, versionError(bad).has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("Malformed version: foo"), *versionError("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Malformed version: "), *versionError(""));
        CPPUNIT_ASSERT_EQUAL(std::string("Error parsing version: strconv.ParseInt: parsing "
                                         "\"99999999999999999999\": value out of range"),
                             *versionError("1.99999999999999999999"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GoVersionTest);
