// rport::sdk::wildcardMatch: whole-string, ASCII case-insensitive, '*' only.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <rport/types.hpp>

using rport::sdk::wildcardMatch;

class WildcardMatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WildcardMatchTest);
    CPPUNIT_TEST(testExact);
    CPPUNIT_TEST(testCaseInsensitive);
    CPPUNIT_TEST(testStar);
    CPPUNIT_TEST(testOtherCharactersAreLiteral);
    CPPUNIT_TEST(testEmpty);
    CPPUNIT_TEST(testHostilePatternStaysLinearish);
    CPPUNIT_TEST_SUITE_END();

public:
    void testExact() {
        CPPUNIT_ASSERT(wildcardMatch("client1", "client1"));
        CPPUNIT_ASSERT(!wildcardMatch("client1", "client10"));
        CPPUNIT_ASSERT(!wildcardMatch("client10", "client1"));
        CPPUNIT_ASSERT(!wildcardMatch("lient1", "client1"));
    }

    void testCaseInsensitive() {
        CPPUNIT_ASSERT(wildcardMatch("CLIENT1", "client1"));
        CPPUNIT_ASSERT(wildcardMatch("Web-*", "WEB-01"));
        // Only ASCII folds; other bytes compare as they are.
        CPPUNIT_ASSERT(!wildcardMatch("\xc3\x84", "\xc3\xa4"));
    }

    void testStar() {
        CPPUNIT_ASSERT(wildcardMatch("*", ""));
        CPPUNIT_ASSERT(wildcardMatch("*", "anything"));
        CPPUNIT_ASSERT(wildcardMatch("web-*", "web-"));
        CPPUNIT_ASSERT(wildcardMatch("web-*", "web-01"));
        CPPUNIT_ASSERT(!wildcardMatch("web-*", "db-01"));
        CPPUNIT_ASSERT(wildcardMatch("*-01", "db-01"));
        CPPUNIT_ASSERT(!wildcardMatch("*-01", "db-011"));
        CPPUNIT_ASSERT(wildcardMatch("a*c", "abbbc"));
        CPPUNIT_ASSERT(wildcardMatch("a*b*c", "aXbYc"));
        CPPUNIT_ASSERT(wildcardMatch("a*b*c", "abc"));
        CPPUNIT_ASSERT(!wildcardMatch("a*b*c", "acb"));
        CPPUNIT_ASSERT(wildcardMatch("**", "x"));
        CPPUNIT_ASSERT(wildcardMatch("*a*", "banana"));
        CPPUNIT_ASSERT(wildcardMatch("*ana", "banana"));  // needs backtracking
    }

    void testOtherCharactersAreLiteral() {
        CPPUNIT_ASSERT(!wildcardMatch("a?c", "abc"));
        CPPUNIT_ASSERT(wildcardMatch("a?c", "A?C"));
        CPPUNIT_ASSERT(!wildcardMatch("a.c", "abc"));
        CPPUNIT_ASSERT(!wildcardMatch("[ab]", "a"));
        CPPUNIT_ASSERT(wildcardMatch("[ab]", "[AB]"));
    }

    void testEmpty() {
        CPPUNIT_ASSERT(wildcardMatch("", ""));
        CPPUNIT_ASSERT(!wildcardMatch("", "a"));
        CPPUNIT_ASSERT(!wildcardMatch("a", ""));
    }

    void testHostilePatternStaysLinearish() {
        const std::string text(20000, 'a');
        const auto start = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(!wildcardMatch("*a*a*a*a*a*a*a*a*b", text));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WildcardMatchTest);
