// api-auth/table on MariaDB over TCP: the shared behaviour suite, plus what
// only a server does (column types, collations, the original's LONGTEXT
// tables).
#include "MariaDbTestDatabase.h"
#include "SharedMariaDb.h"
#include "UserTableBehaviourTest.h"

namespace rport::test {

class MariaDbUserTableTest : public UserTableBehaviourTest {
    CPPUNIT_TEST_SUB_SUITE(MariaDbUserTableTest, UserTableBehaviourTest);
    CPPUNIT_TEST(createdTablesUseMediumtextAndExactNames);
    CPPUNIT_TEST(tablesFromTheOriginalDdlWorkDespiteLongtext);
    CPPUNIT_TEST(schemaQualifiedTablesWork);
    CPPUNIT_TEST(tooLongGroupIsInvalid);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        db = std::make_unique<MariaDbTestDatabase>(sharedMariaDb());
        UserTableBehaviourTest::setUp();
    }
    void tearDown() override {
        UserTableBehaviourTest::tearDown();
        db->exec("DROP TABLE IF EXISTS `" + users + "`, `" + groups + "`, `" + details + "`");
        db.reset();
    }

    // Poco 1.11 cannot read LONGTEXT, so the created tables use MEDIUMTEXT;
    // names are binary-collated, so ordering walks the index.
    void createdTablesUseMediumtextAndExactNames() {
        auto column = [&](const std::string& table, const std::string& name,
                          const std::string& what) {
            return db->scalar("SELECT " + what +
                              " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                              "AND TABLE_NAME = '" + table + "' AND COLUMN_NAME = '" + name + "'");
        };
        CPPUNIT_ASSERT_EQUAL(std::string("mediumtext"), column(users, "totp_secret", "DATA_TYPE"));
        CPPUNIT_ASSERT_EQUAL(std::string("mediumtext"),
                             column(details, "permissions", "DATA_TYPE"));
        CPPUNIT_ASSERT_EQUAL(std::string("varchar"), column(users, "username", "DATA_TYPE"));
        CPPUNIT_ASSERT_EQUAL(std::string("150"),
                             column(users, "username", "CHARACTER_MAXIMUM_LENGTH"));
        CPPUNIT_ASSERT_EQUAL(std::string("255"),
                             column(users, "password", "CHARACTER_MAXIMUM_LENGTH"));
        CPPUNIT_ASSERT_EQUAL(std::string("128"),
                             column(users, "token", "CHARACTER_MAXIMUM_LENGTH"));
        CPPUNIT_ASSERT_EQUAL(std::string("utf8mb4_bin"),
                             column(groups, "group", "COLLATION_NAME"));
        CPPUNIT_ASSERT(host->logged("listing users with ORDER BY username"));
        // A long TOTP secret is stored and does not disturb reading the user.
        db->exec("INSERT INTO " + users + " (username, password, totp_secret) VALUES ('t', 'pw', "
                 "REPEAT('x', 100000))");
        CPPUNIT_ASSERT_EQUAL(std::string("pw"), get("t").secret);
    }

    // The MySQL statements of the original's documentation: utf8 with a
    // case-insensitive collation and LONGTEXT columns, which the plugin
    // must never read.
    void tablesFromTheOriginalDdlWorkDespiteLongtext() {
        db->exec(
            "CREATE TABLE `" + users + "_legacy` (`username` varchar(150) NOT NULL, `password` "
            "varchar(255) NOT NULL, `password_expired` bool NOT NULL default false, "
            "`two_fa_send_to` varchar(150), `token` varchar(128) default NULL, `totp_secret` "
            "longtext, UNIQUE KEY `username` (`username`)) ENGINE=InnoDB DEFAULT CHARSET=utf8; "
            "CREATE TABLE `" + groups + "_legacy` (`username` varchar(150) NOT NULL, `group` "
            "varchar(150) NOT NULL, UNIQUE KEY `username_group` (`username`,`group`)) "
            "ENGINE=InnoDB DEFAULT CHARSET=utf8; "
            "CREATE TABLE `" + details + "_legacy` (`name` varchar(150) NOT NULL, `permissions` "
            "longtext DEFAULT '{}', UNIQUE KEY `name` (`name`)) ENGINE=InnoDB DEFAULT CHARSET=utf8; "
            "INSERT INTO `" + users + "_legacy` VALUES ('admin', 'pw', 1, 'a@b.c', NULL, "
            "REPEAT('s', 70000)), ('Bob', 'pw', 0, NULL, NULL, 'seed'); "
            "INSERT INTO `" + groups + "_legacy` VALUES ('admin', 'Administrators'), "
            "('admin', 'Users')");
        auto legacy = open({{"user_table", users + "_legacy"},
                            {"group_table", groups + "_legacy"},
                            {"group_details_table", details + "_legacy"}});
        CPPUNIT_ASSERT(host->logged("listing users with ORDER BY CAST(username AS BINARY)"));
        std::optional<sdk::AuthRecord> rec;
        CPPUNIT_ASSERT(legacy->get("admin", rec).ok());
        CPPUNIT_ASSERT(std::vector<std::string>({"Administrators", "Users"}) == rec->groups);
        CPPUNIT_ASSERT_EQUAL(std::string("true"), attribute(*rec, "password_expired"));
        // That collation ignores case, as it did for the original.
        CPPUNIT_ASSERT(legacy->get("ADMIN", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), rec->id);
        sdk::ListPage page;
        CPPUNIT_ASSERT(legacy->list(sdk::ListQuery{}, page).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(2), page.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Bob"), page.records[0].id);  // byte order
        db->exec("DROP TABLE `" + users + "_legacy`, `" + groups + "_legacy`, `" + details +
                 "_legacy`");
    }

    void schemaQualifiedTablesWork() {
        const std::string schema = sharedMariaDb().database() + ".";
        auto qualified = open({{"user_table", schema + users + "_q"},
                               {"group_table", schema + groups + "_q"},
                               {"group_details_table", ""},
                               {"create_tables", "true"}});
        sdk::AuthRecord r;
        r.id = "q";
        r.secret = "pw";
        r.groups = {"Users"};
        CPPUNIT_ASSERT(qualified->add(r).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), count(groups + "_q"));
        CPPUNIT_ASSERT(qualified->remove("q").ok());
        db->exec("DROP TABLE `" + users + "_q`, `" + groups + "_q`");
    }

    // Strict mode refuses to cut a value; the caller hears why, and the
    // user row added before it is gone again.
    void tooLongGroupIsInvalid() {
        sdk::AuthRecord r;
        r.id = "long";
        r.secret = "pw";
        r.groups = {std::string(151, 'g')};
        sdk::CallResult result = store->add(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.message, int32_t(RPORT_E_INVALID), result.code);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), count(users));
        r.groups = {std::string(150, 'g')};
        CPPUNIT_ASSERT(store->add(r).ok());
    }

protected:
    TestDatabase& database() override { return *db; }
    // Setting a NOT NULL column to NULL fails the insert in strict mode; a
    // one-statement trigger, because the test client splits at semicolons.
    void failInsertsOfGroup(const std::string& group) override {
        db->exec("CREATE TRIGGER `refuse_" + groups + "` BEFORE INSERT ON `" + groups +
                 "` FOR EACH ROW SET NEW.`group` = IF(NEW.`group` = '" + group +
                 "', NULL, NEW.`group`)");
    }

private:
    std::unique_ptr<MariaDbTestDatabase> db;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MariaDbUserTableTest);

}  // namespace rport::test
