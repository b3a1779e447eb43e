// How id conditions combine: patterns of one condition with OR (any) or AND
// (all), conditions with each other always AND.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/types.hpp>

using rport::sdk::IdMatch;
using rport::sdk::ListQuery;
using rport::sdk::matches;

class ListQueryMatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListQueryMatchTest);
    CPPUNIT_TEST(testConditionWithoutPatternsMatchesAll);
    CPPUNIT_TEST(testAnyIsOr);
    CPPUNIT_TEST(testAllIsAnd);
    CPPUNIT_TEST(testConditionsAreAnded);
    CPPUNIT_TEST(testEmptyQueryMatchesEverything);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConditionWithoutPatternsMatchesAll() {
        CPPUNIT_ASSERT(matches(IdMatch{false, {}}, "x"));
        CPPUNIT_ASSERT(matches(IdMatch{true, {}}, "x"));
    }

    void testAnyIsOr() {
        IdMatch m{false, {"web-*", "db-01"}};
        CPPUNIT_ASSERT(matches(m, "web-7"));
        CPPUNIT_ASSERT(matches(m, "DB-01"));
        CPPUNIT_ASSERT(!matches(m, "db-02"));
    }

    void testAllIsAnd() {
        IdMatch m{true, {"web-*", "*-01"}};
        CPPUNIT_ASSERT(matches(m, "web-01"));
        CPPUNIT_ASSERT(!matches(m, "web-02"));
        CPPUNIT_ASSERT(!matches(m, "db-01"));
    }

    void testConditionsAreAnded() {
        ListQuery q;
        q.conditions = {IdMatch{false, {"a*", "b*"}}, IdMatch{false, {"*1"}}};
        CPPUNIT_ASSERT(matches(q, "a1"));
        CPPUNIT_ASSERT(matches(q, "B771"));
        CPPUNIT_ASSERT(!matches(q, "a2"));
        CPPUNIT_ASSERT(!matches(q, "c1"));
    }

    void testEmptyQueryMatchesEverything() {
        CPPUNIT_ASSERT(matches(ListQuery{}, ""));
        CPPUNIT_ASSERT(matches(ListQuery{}, "anything"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListQueryMatchTest);
