// api-auth/table on SQLite: the shared behaviour suite, plus what only a
// SQLite file does (locking, tables made by the original's SQLite DDL).
#include <chrono>

#include "SqliteTestDatabase.h"
#include "UserTableBehaviourTest.h"

namespace rport::test {

class SqliteUserTableTest : public UserTableBehaviourTest {
    CPPUNIT_TEST_SUB_SUITE(SqliteUserTableTest, UserTableBehaviourTest);
    CPPUNIT_TEST(lockedDatabaseIsUnavailableThenRecovers);
    CPPUNIT_TEST(tablesFromTheOriginalDdlWork);
    CPPUNIT_TEST(schemaQualifiedNamesAreForMySqlOnly);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        db = std::make_unique<SqliteTestDatabase>();
        UserTableBehaviourTest::setUp();
    }
    void tearDown() override {
        UserTableBehaviourTest::tearDown();
        db.reset();
    }

    // Another writer holds the file past the busy timeout: writes are
    // refused as "unavailable" and work again once the lock is gone.
    void lockedDatabaseIsUnavailableThenRecovers() {
        add("before", "pw", {"Users"});
        db->exec("BEGIN EXCLUSIVE");
        sdk::AuthRecord r;
        r.id = "during";
        r.secret = "pw";
        r.groups = {"Users"};
        const auto started = std::chrono::steady_clock::now();
        sdk::CallResult added = store->add(r);
        sdk::CallResult removed = store->remove("before");
        const auto waited = std::chrono::steady_clock::now() - started;
        db->exec("COMMIT");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(added.message, int32_t(RPORT_E_UNAVAILABLE), added.code);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(removed.message, int32_t(RPORT_E_UNAVAILABLE), removed.code);
        CPPUNIT_ASSERT(waited < std::chrono::seconds(8));
        CPPUNIT_ASSERT(host->logged("failing calls until it is back"));

        CPPUNIT_ASSERT(store->add(r).ok());
        CPPUNIT_ASSERT(host->logged("database reachable again"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), count(groups, "username = 'during'"));
        CPPUNIT_ASSERT(store->remove("before").ok());
    }

    // The SQLite statements of the original's documentation, named indexes
    // and all.
    void tablesFromTheOriginalDdlWork() {
        db->exec(
            "CREATE TABLE \"legacy_users\" (\"username\" TEXT(150) NOT NULL, \"password\" "
            "TEXT(255) NOT NULL, \"password_expired\" BOOLEAN NOT NULL CHECK (password_expired "
            "IN (0,1)) DEFAULT 0, \"token\" TEXT(36) DEFAULT NULL, \"two_fa_send_to\" "
            "TEXT(150), \"totp_secret\" TEXT)");
        db->exec("CREATE UNIQUE INDEX \"main\".\"username\" ON \"legacy_users\" (\"username\" ASC)");
        db->exec(
            "CREATE TABLE \"legacy_groups\" (\"username\" TEXT(150) NOT NULL, \"group\" "
            "TEXT(150) NOT NULL)");
        db->exec(
            "CREATE UNIQUE INDEX \"main\".\"username_group\" ON \"legacy_groups\" (\"username\" "
            "ASC, \"group\" ASC)");
        db->exec(
            "CREATE TABLE \"legacy_details\" (\"name\" TEXT(150) NOT NULL, \"permissions\" TEXT "
            "DEFAULT \"{}\")");
        db->exec("INSERT INTO legacy_users (username, password, password_expired) VALUES "
                 "('admin', 'pw', 1)");
        db->exec("INSERT INTO legacy_groups VALUES ('admin', 'Administrators')");
        auto legacy = open({{"user_table", "legacy_users"},
                            {"group_table", "legacy_groups"},
                            {"group_details_table", "legacy_details"}});
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(legacy->get("admin", rec).ok());
        CPPUNIT_ASSERT(std::vector<std::string>({"Administrators"}) == rec->groups);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), attribute(*rec, "password_expired"));
        // create_tables leaves existing tables alone.
        CPPUNIT_ASSERT(open({{"user_table", "legacy_users"},
                             {"group_table", "legacy_groups"},
                             {"create_tables", "true"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), count("legacy_users"));
    }

    void schemaQualifiedNamesAreForMySqlOnly() {
        expectCreateFails({{"user_table", "main.users"}}, RPORT_E_INVALID, {"'user_table'"});
    }

protected:
    TestDatabase& database() override { return *db; }
    void failInsertsOfGroup(const std::string& group) override {
        db->exec("CREATE TRIGGER refuse_" + groups + " BEFORE INSERT ON " + groups +
                 " WHEN NEW.`group` = '" + group +
                 "' BEGIN SELECT RAISE(ABORT, 'group refused by test trigger'); END");
    }

private:
    std::unique_ptr<SqliteTestDatabase> db;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteUserTableTest);

}  // namespace rport::test
