#pragma once
// What the table plugin must do whatever database is behind it. Each
// database gets a concrete fixture (SqliteTableTest, MariaDbTableTest) that
// says how to reach it; the tests load the built table.so through the SDK's
// fake host, as rportd would.
#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <rport/testing.hpp>
#include <string>
#include <vector>

#include "TestDatabase.h"

namespace rport::test {

class TableBehaviourTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TableBehaviourTest);
    CPPUNIT_TEST(getReturnsTheStoredPair);
    CPPUNIT_TEST(getOfAnUnknownIdIsNotFound);
    CPPUNIT_TEST(getMatchesTheIdExactly);
    CPPUNIT_TEST(bcryptSecretsComeBackVerbatim);
    CPPUNIT_TEST(addingATakenIdIsExists);
    CPPUNIT_TEST(removeDeletesAndThenIsNotFound);
    CPPUNIT_TEST(listIsSortedByBytes);
    CPPUNIT_TEST(listOfAnEmptyTableIsEmpty);
    CPPUNIT_TEST(exactFilterIgnoresCase);
    CPPUNIT_TEST(wildcardFilterMatchesWholeIds);
    CPPUNIT_TEST(everySpellingOfAPatternMatches);
    CPPUNIT_TEST(likeCharactersInPatternsAreLiteral);
    CPPUNIT_TEST(patternsCombineWithOrAndAnd);
    CPPUNIT_TEST(pagingKeepsTheTotal);
    CPPUNIT_TEST(sqlInjectionIsInert);
    CPPUNIT_TEST(storeIsWritableWhateverTheWriteSetting);
    CPPUNIT_TEST(createTablesTwiceKeepsTheData);
    CPPUNIT_TEST(badTableNamesAreRejected);
    CPPUNIT_TEST(missingTableIsExplained);
    CPPUNIT_TEST(concurrentGetsFromEightThreads);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void setUp() override;
    void tearDown() override;

    void getReturnsTheStoredPair();
    void getOfAnUnknownIdIsNotFound();
    void getMatchesTheIdExactly();
    void bcryptSecretsComeBackVerbatim();
    void addingATakenIdIsExists();
    void removeDeletesAndThenIsNotFound();
    void listIsSortedByBytes();
    void listOfAnEmptyTableIsEmpty();
    void exactFilterIgnoresCase();
    void wildcardFilterMatchesWholeIds();
    void everySpellingOfAPatternMatches();
    void likeCharactersInPatternsAreLiteral();
    void patternsCombineWithOrAndAnd();
    void pagingKeepsTheTotal();
    void sqlInjectionIsInert();
    void storeIsWritableWhateverTheWriteSetting();
    void createTablesTwiceKeepsTheData();
    void badTableNamesAreRejected();
    void missingTableIsExplained();
    void concurrentGetsFromEightThreads();

protected:
    // The database of this fixture; lives at least as long as one test.
    virtual TestDatabase& database() = 0;

    using Settings = std::map<std::string, std::string>;
    // A store on `table` with the given settings changes; throws
    // sdk::Error (code + message) when create fails.
    std::unique_ptr<sdk::AuthClient> open(const std::string& table, const Settings& changes = {});
    // Adds id/secret through the store under test and asserts it worked.
    void add(const std::string& id, const std::string& secret);
    // The ids a list query returns, in order; asserts the call worked.
    std::vector<std::string> ids(const sdk::ListQuery& query, uint64_t* total = nullptr);

    std::unique_ptr<sdk::testing::FakeHost> host;
    sdk::testing::LoadedPlugin plugin;
    std::string table;  // fresh for every test
    std::unique_ptr<sdk::AuthClient> store;
};

// A query with one condition per entry: {all?, {patterns...}}.
sdk::ListQuery query(std::vector<sdk::IdMatch> conditions, uint64_t offset = 0,
                     uint64_t limit = std::numeric_limits<uint64_t>::max());
sdk::IdMatch anyOf(std::vector<std::string> patterns);
sdk::IdMatch allOf(std::vector<std::string> patterns);

}  // namespace rport::test
