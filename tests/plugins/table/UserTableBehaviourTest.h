#pragma once
// What api-auth/table (API users in a users and a groups table) must do
// whatever database is behind it. Concrete fixtures (SqliteUserTableTest,
// MariaDbUserTableTest) say how to reach the database; the tests load the
// built table.so through the SDK's fake host, as rportd would.
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>
#include <rport/testing.hpp>
#include <string>
#include <vector>

#include "TestDatabase.h"

namespace rport::test {

class UserTableBehaviourTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(UserTableBehaviourTest);
    CPPUNIT_TEST(getReturnsGroupsAndPasswordExpired);
    CPPUNIT_TEST(userWithoutGroupsHasNone);
    CPPUNIT_TEST(unknownUserIsNotFound);
    CPPUNIT_TEST(listFiltersAndPagesWithGroups);
    CPPUNIT_TEST(createTablesTwiceKeepsAllThreeTables);
    CPPUNIT_TEST(createdTablesHaveTheDocumentedColumns);
    CPPUNIT_TEST(missingTablesAreNamed);
    CPPUNIT_TEST(addAndRemoveRoundTrip);
    CPPUNIT_TEST(failingGroupInsertLeavesNothingBehind);
    CPPUNIT_TEST(addingAnExistingUserIsExists);
    CPPUNIT_TEST(staleGroupRowsDoNotReachANewUser);
    CPPUNIT_TEST(unstorableRecordsAreInvalid);
    CPPUNIT_TEST(totpSecretIsNeverEmitted);
    CPPUNIT_TEST(badTableSettingsAreRejected);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

public:
    void setUp() override;
    void tearDown() override;

    void getReturnsGroupsAndPasswordExpired();
    void userWithoutGroupsHasNone();
    void unknownUserIsNotFound();
    void listFiltersAndPagesWithGroups();
    void createTablesTwiceKeepsAllThreeTables();
    void createdTablesHaveTheDocumentedColumns();
    void missingTablesAreNamed();
    void addAndRemoveRoundTrip();
    void failingGroupInsertLeavesNothingBehind();
    void addingAnExistingUserIsExists();
    void staleGroupRowsDoNotReachANewUser();
    void unstorableRecordsAreInvalid();
    void totpSecretIsNeverEmitted();
    void badTableSettingsAreRejected();

protected:
    using Settings = std::map<std::string, std::string>;

    // The database of this fixture; lives at least as long as one test.
    virtual TestDatabase& database() = 0;
    // Makes every insert of `group` into the groups table fail.
    virtual void failInsertsOfGroup(const std::string& group) = 0;

    // The api-auth settings for this test's tables, with changes applied
    // (an empty value removes the setting).
    Settings settings(const Settings& changes = {});
    // A store with those settings; throws sdk::Error when create fails.
    std::unique_ptr<sdk::AuthClient> open(const Settings& changes = {});
    // A row written behind the plugin's back, as another tool would.
    void insertUser(const std::string& username, const std::string& password, bool expired,
                    const std::vector<std::string>& groups);
    // Adds through the store under test and asserts it worked.
    void add(const std::string& username, const std::string& password,
             const std::vector<std::string>& groups, const std::string& expired = "");
    sdk::AuthRecord get(const std::string& username);
    std::string count(const std::string& table, const std::string& where = "");
    // Asserts that create failed with code and a message containing every needle.
    void expectCreateFails(const Settings& changes, int32_t code,
                           const std::vector<std::string>& needles);

    std::unique_ptr<sdk::testing::FakeHost> host;
    sdk::testing::LoadedPlugin plugin;
    std::string users, groups, details;  // fresh for every test
    std::unique_ptr<sdk::AuthClient> store;
};

// The value of attribute key in record, "" when absent.
std::string attribute(const sdk::AuthRecord& record, const std::string& key);

}  // namespace rport::test
