// The table plugin on SQLite: the shared behaviour suite, plus what only a
// SQLite file does (settings, locking, tables made by the original DDL).
#include <chrono>

#include "SqliteTestDatabase.h"
#include "TableBehaviourTest.h"

namespace rport::test {

class SqliteTableTest : public TableBehaviourTest {
    CPPUNIT_TEST_SUB_SUITE(SqliteTableTest, TableBehaviourTest);
    CPPUNIT_TEST(qualifiedTableNamesAreForMySqlOnly);
    CPPUNIT_TEST(settingsAreCheckedAtCreate);
    CPPUNIT_TEST(unopenableFileFailsCreate);
    CPPUNIT_TEST(tableFromTheOriginalDdlWorks);
    CPPUNIT_TEST(lockedDatabaseIsUnavailableThenRecovers);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        db = std::make_unique<SqliteTestDatabase>();
        TableBehaviourTest::setUp();
    }
    void tearDown() override {
        TableBehaviourTest::tearDown();
        db.reset();
    }

    void qualifiedTableNamesAreForMySqlOnly() {
        try {
            open("main.auth", {{"create_tables", "true"}});
            CPPUNIT_FAIL("accepted schema.table for sqlite");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        }
    }

    void settingsAreCheckedAtCreate() {
        expectInvalid({{"db_type", "postgres"}},
                      "invalid 'db_type', expected 'mysql' or 'sqlite', got \"postgres\"");
        expectInvalid({{"db_type", ""}}, "invalid 'db_type'");
        expectInvalid({{"db_name", ""}}, "'db_name'");
        expectInvalid({{"create_tables", "maybe"}}, "'create_tables'");
        host->settings = db->settings(table);
        host->settings.erase("table");
        try {
            host->createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "table");
            CPPUNIT_FAIL("created a store without a table setting");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
            CPPUNIT_ASSERT(std::string(e.what()).find("'table'") != std::string::npos);
        }
    }

    void unopenableFileFailsCreate() {
        try {
            open(table, {{"db_name", "/nonexistent-rport-dir/auth.db"}, {"create_tables", "true"}});
            CPPUNIT_FAIL("opened a database in a missing directory");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), e.code());
            CPPUNIT_ASSERT_MESSAGE(e.what(),
                                   std::string(e.what()).find("cannot connect to sqlite database "
                                                              "'/nonexistent-rport-dir/auth.db'") !=
                                       std::string::npos);
        }
    }

    // Operators upgrading from the Go rportd keep their table as it is.
    void tableFromTheOriginalDdlWorks() {
        db->exec(
            "CREATE TABLE `legacy` (`id` varchar(100) PRIMARY KEY, `password` varchar(100) NOT "
            "NULL)");
        db->exec("INSERT INTO legacy (id, password) VALUES ('client1', 'pw1')");
        auto legacy = open("legacy");
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(legacy->get("client1", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("pw1"), rec->secret);
    }

    // A writer elsewhere holds the file past the busy timeout: the write is
    // refused as "unavailable", and works once the lock is gone.
    void lockedDatabaseIsUnavailableThenRecovers() {
        add("before", "pw");
        db->exec("BEGIN EXCLUSIVE");
        sdk::AuthRecord r;
        r.id = "during";
        r.secret = "pw";
        auto started = std::chrono::steady_clock::now();
        sdk::CallResult result = store->add(r);
        auto waited = std::chrono::steady_clock::now() - started;
        db->exec("COMMIT");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.message, int32_t(RPORT_E_UNAVAILABLE), result.code);
        // The busy timeout is 3 s; the bound only has to tell "gave up" from
        // "hung", with room for a loaded machine or a sanitizer build.
        CPPUNIT_ASSERT(waited < std::chrono::seconds(20));
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("before", rec).ok());
        CPPUNIT_ASSERT(store->add(r).ok());
    }

protected:
    TestDatabase& database() override { return *db; }

private:
    void expectInvalid(const Settings& changes, const std::string& needle) {
        try {
            open(table, changes);
            CPPUNIT_FAIL("accepted bad settings, expected: " + needle);
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
            CPPUNIT_ASSERT_MESSAGE(e.what(),
                                   std::string(e.what()).find(needle) != std::string::npos);
        }
    }

    std::unique_ptr<SqliteTestDatabase> db;
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqliteTableTest);

}  // namespace rport::test
