// The table plugin on MariaDB over TCP: the shared behaviour suite, plus
// what only a server does (schemas, collations, accounts, strict mode).
#include <chrono>

#include "MariaDbTestDatabase.h"
#include "SharedMariaDb.h"
#include "TableBehaviourTest.h"

namespace rport::test {

class MariaDbTableTest : public TableBehaviourTest {
    CPPUNIT_TEST_SUB_SUITE(MariaDbTableTest, TableBehaviourTest);
    CPPUNIT_TEST(binaryCollatedIdsAreListedInIndexOrder);
    CPPUNIT_TEST(schemaQualifiedTableWorks);
    CPPUNIT_TEST(tableFromTheOriginalDdlKeepsItsCollationButListsInByteOrder);
    CPPUNIT_TEST(unreachableServerFailsCreateQuickly);
    CPPUNIT_TEST(wrongPasswordFailsCreate);
    CPPUNIT_TEST(unknownDatabaseFailsCreate);
    CPPUNIT_TEST(tooLongIdIsInvalid);
    CPPUNIT_TEST(localhostMeansTcpAsInTheOriginal);
    CPPUNIT_TEST(hostWithoutPortAndBadPortsAreHandled);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        db = std::make_unique<MariaDbTestDatabase>(sharedMariaDb());
        TableBehaviourTest::setUp();
    }
    void tearDown() override {
        TableBehaviourTest::tearDown();
        db->exec("DROP TABLE IF EXISTS `" + table + "`");
        db.reset();
    }

    // The shipped DDL's binary collation lets the primary key give the order.
    void binaryCollatedIdsAreListedInIndexOrder() {
        CPPUNIT_ASSERT(host->logged("listing with ORDER BY id"));
        CPPUNIT_ASSERT(!host->logged("CAST(id AS BINARY)"));
    }

    void schemaQualifiedTableWorks() {
        const std::string qualified = sharedMariaDb().database() + "." + table + "_q";
        auto qualifiedStore = open(qualified, {{"create_tables", "true"}});
        sdk::AuthRecord r;
        r.id = "q1";
        r.secret = "pw";
        CPPUNIT_ASSERT(qualifiedStore->add(r).ok());
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(qualifiedStore->get("q1", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("1"),
                             db->scalar("SELECT COUNT(*) FROM `" + table + "_q`"));
        db->exec("DROP TABLE `" + table + "_q`");
    }

    // The original's DDL: utf8 with its default case-insensitive collation.
    // Lookups follow that collation (as they did in the original), listings
    // still come in byte order like every other store.
    void tableFromTheOriginalDdlKeepsItsCollationButListsInByteOrder() {
        const std::string legacy = table + "_legacy";
        db->exec("CREATE TABLE `" + legacy +
                 "` (`id` varchar(100) PRIMARY KEY, `password` varchar(100) NOT NULL) "
                 "ENGINE=InnoDB DEFAULT "
                 "CHARSET=utf8; INSERT INTO `" +
                 legacy + "` VALUES ('b','1'),('A','2'),('a2','3'),('_x','4'),('Z','5')");
        auto legacyStore = open(legacy);
        CPPUNIT_ASSERT(host->logged("listing with ORDER BY CAST(id AS BINARY)"));
        sdk::ListPage page;
        CPPUNIT_ASSERT(legacyStore->list(sdk::ListQuery{}, page).ok());
        std::vector<std::string> got;
        for (const auto& r : page.records) got.push_back(r.id);
        CPPUNIT_ASSERT(std::vector<std::string>({"A", "Z", "_x", "a2", "b"}) == got);
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(legacyStore->get("A2", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("a2"), rec->id);
        db->exec("DROP TABLE `" + legacy + "`");
    }

    void unreachableServerFailsCreateQuickly() {
        auto started = std::chrono::steady_clock::now();
        try {
            open(table, {{"db_host", "127.0.0.1:1"}});
            CPPUNIT_FAIL("created a store on a closed port");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), e.code());
            CPPUNIT_ASSERT_MESSAGE(
                e.what(),
                std::string(e.what()).find("cannot connect to mysql database 'rport' "
                                           "at 127.0.0.1:1 as user 'rport'") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(
                e.what(), std::string(e.what()).find("rport-test-pw") == std::string::npos);
        }
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
    }

    void wrongPasswordFailsCreate() {
        try {
            open(table, {{"db_password", "wrong"}});
            CPPUNIT_FAIL("connected with a wrong password");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_MESSAGE(
                e.what(), std::string(e.what()).find("Access denied") != std::string::npos);
        }
    }

    void unknownDatabaseFailsCreate() {
        try {
            open(table, {{"db_name", "no_such_db"}});
            CPPUNIT_FAIL("connected to a missing database");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_MESSAGE(e.what(),
                                   std::string(e.what()).find("no_such_db") != std::string::npos);
        }
    }

    // MariaDB's strict mode refuses to cut a value; the caller hears why.
    void tooLongIdIsInvalid() {
        sdk::AuthRecord r;
        r.id = std::string(101, 'x');
        r.secret = "pw";
        sdk::CallResult result = store->add(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.message, int32_t(RPORT_E_INVALID), result.code);
        r.id = std::string(100, 'x');
        CPPUNIT_ASSERT(store->add(r).ok());
    }

    // To the original, db_host "localhost:P" was TCP; libmariadb would take
    // "localhost" for its default unix socket (none exists here).
    void localhostMeansTcpAsInTheOriginal() {
        auto viaLocalhost =
            open(table, {{"db_host", "localhost:" + std::to_string(sharedMariaDb().port())}});
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), viaLocalhost->get("nobody", rec).code);
    }

    void hostWithoutPortAndBadPortsAreHandled() {
        for (const char* bad :
             {"127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000", "socket:", "[::1"}) {
            try {
                open(table, {{"db_host", bad}});
                CPPUNIT_FAIL(std::string("accepted db_host ") + bad);
            } catch (const sdk::Error& e) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(e.what(), int32_t(RPORT_E_INVALID), e.code());
                CPPUNIT_ASSERT(std::string(e.what()).find("'db_host'") != std::string::npos);
            }
        }
        // Without a port the default 3306 is used, where nobody listens here.
        try {
            open(table, {{"db_host", "127.0.0.1"}});
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), e.code());
            CPPUNIT_ASSERT(std::string(e.what()).find("at 127.0.0.1 as user") != std::string::npos);
        }
    }

protected:
    TestDatabase& database() override { return *db; }

private:
    std::unique_ptr<MariaDbTestDatabase> db;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbTableTest);

}  // namespace rport::test
