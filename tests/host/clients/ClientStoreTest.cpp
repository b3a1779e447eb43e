// clients.db: the original's file loads, ours has the original's schema,
// a damaged file stops the start instead of being replaced.
#include <cppunit/extensions/HelperMacros.h>
#include <sqlite3.h>

#include <fstream>

#include "TempDir.h"
#include "clients/ClientStore.h"

using namespace rportd::clients;
using rport::test::TempDir;

namespace {

std::string fixturePath(const std::string& name) {
    return rport::test::sourceDir() + "/tests/fixtures/clients/" + name;
}

std::string copyFixture(const TempDir& dir, const std::string& name) {
    std::string target = dir.file(name);
    std::ifstream in(fixturePath(name), std::ios::binary);
    std::ofstream out(target, std::ios::binary);
    out << in.rdbuf();
    return target;
}

// One text value from a query on a database file.
std::string queryText(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
        out = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
                  ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0))
                  : "<none>";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

}  // namespace

class ClientStoreTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientStoreTest);
    CPPUNIT_TEST(loadsADatabaseWrittenByTheOriginal);
    CPPUNIT_TEST(writesTheOriginalsSchemaAndFormats);
    CPPUNIT_TEST(roundTripsEveryField);
    CPPUNIT_TEST(refusesAFileThatIsNotADatabase);
    CPPUNIT_TEST(refusesUnreadableDetailsNamingTheClient);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;

public:
    void loadsADatabaseWrittenByTheOriginal() {
        std::string path = copyFixture(dir, "original-clients.db");
        ClientStore store(path, true);
        std::vector<Client> all = store.loadAll();
        CPPUNIT_ASSERT_EQUAL(size_t(2), all.size());
        const Client& uuid = all[0];
        const Client& c1 = all[1];
        CPPUNIT_ASSERT_EQUAL(std::string("c1"), c1.id);
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1"), c1.clientAuthId);
        CPPUNIT_ASSERT_EQUAL(std::string("my-client"), c1.name);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c1.address);
        CPPUNIT_ASSERT_EQUAL(int64_t(2), c1.numCpus);
        CPPUNIT_ASSERT_EQUAL(uint64_t(25275953152ULL), c1.memoryTotal);
        CPPUNIT_ASSERT(c1.labels && c1.labels->at("city") == "Berlin");
        CPPUNIT_ASSERT(c1.tags && c1.tags->size() == 2);
        CPPUNIT_ASSERT(!c1.allowedUserGroups);
        CPPUNIT_ASSERT_EQUAL(std::string("[]"), c1.tunnelsJson);
        CPPUNIT_ASSERT_EQUAL(std::string("null"), c1.updatesStatusJson);
        // 2026-12-01 23:39:52.023044122+00:00
        CPPUNIT_ASSERT(c1.disconnectedAt);
        CPPUNIT_ASSERT_EQUAL(int64_t(1796168392023044122LL), *c1.disconnectedAt);
        CPPUNIT_ASSERT(c1.clientConfigurationJson.find("\"auth_user\":\"clientAuth1\"") !=
                       std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("814ad759-6c12-4c82-af5d-45380d42d41e"), uuid.id);
        CPPUNIT_ASSERT(!uuid.tags);
        CPPUNIT_ASSERT(!uuid.labels);

        // Saving it again writes the same details the original wrote.
        std::string before = queryText(path, "SELECT details FROM clients WHERE id = 'c1'");
        store.save(c1);
        CPPUNIT_ASSERT_EQUAL(before,
                             queryText(path, "SELECT details FROM clients WHERE id = 'c1'"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("2026-12-01 23:39:52.023044122+00:00"),
            queryText(path, "SELECT disconnected_at FROM clients WHERE id = 'c1'"));
    }

    void writesTheOriginalsSchemaAndFormats() {
        std::string path = dir.file("clients.db");
        {
            ClientStore store(path, true);
            Client c;
            c.id = "x";
            c.clientAuthId = "auth";
            c.disconnectedAt = int64_t(1796168392000000000LL);
            store.save(c);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("3"),
                             queryText(path, "SELECT version FROM schema_migrations"));
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             queryText(path, "SELECT dirty FROM schema_migrations"));
        CPPUNIT_ASSERT_EQUAL(std::string("wal"), queryText(path, "PRAGMA journal_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 23:39:52+00:00"),
                             queryText(path, "SELECT disconnected_at FROM clients"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-01 23:39:52"),
                             queryText(path, "SELECT DATETIME(disconnected_at) FROM clients"));
        // The same tables and indexes as the original's file.
        std::string original = copyFixture(dir, "original-clients.db");
        const char* schema =
            "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)";
        CPPUNIT_ASSERT_EQUAL(queryText(original, schema), queryText(path, schema));
    }

    void roundTripsEveryField() {
        Client c;
        c.id = "id";
        c.clientAuthId = "auth";
        c.address = "192.0.2.9";
        c.name = "n \"quoted\" <b>";
        c.os = "os";
        c.osArch = "arch";
        c.osFamily = "fam";
        c.osKernel = "k";
        c.osFullName = "full";
        c.osVersion = "ver";
        c.osVirtualizationSystem = "vs";
        c.osVirtualizationRole = "vr";
        c.cpuFamily = "cf";
        c.cpuModel = "cm";
        c.cpuModelName = "cmn";
        c.cpuVendor = "cv";
        c.numCpus = 8;
        c.memoryTotal = 18446744073709551615ULL;
        c.timezone = "tz";
        c.hostname = "h";
        c.version = "1.0";
        c.ipv4 = std::vector<std::string>{};
        c.tags = std::vector<std::string>{"a", "b"};
        c.labels = std::map<std::string, std::string>{{"z", "1"}, {"a", "2"}};
        c.allowedUserGroups = std::vector<std::string>{"Users"};
        c.tunnelsJson = "[{\"id\":\"1\"}]";
        c.updatesStatusJson = "{\"refreshed\":\"x\"}";
        c.ipAddressesJson = "{\"ipv4\":\"1.2.3.4\"}";
        c.clientConfigurationJson = "{\"client\":{}}";
        std::string details = encodeDetails(c);
        Client back;
        decodeDetails(details, back);
        back.id = c.id;
        back.clientAuthId = c.clientAuthId;
        CPPUNIT_ASSERT_EQUAL(details, encodeDetails(back));
        CPPUNIT_ASSERT(back.ipv4 && back.ipv4->empty());
        CPPUNIT_ASSERT(!back.ipv6);
        CPPUNIT_ASSERT_EQUAL(c.name, back.name);
        CPPUNIT_ASSERT_EQUAL(c.memoryTotal, back.memoryTotal);
        // Go's key order and map order (sorted keys).
        CPPUNIT_ASSERT(
            details.rfind("{\"num_cpus\":8,\"mem_total\":18446744073709551615,\"name\":", 0) == 0);
        CPPUNIT_ASSERT(details.find("\"labels\":{\"a\":\"2\",\"z\":\"1\"}") != std::string::npos);
    }

    void refusesAFileThatIsNotADatabase() {
        std::string path = dir.write("clients.db", std::string(8192, 'x'));
        try {
            ClientStore store(path, true);
            CPPUNIT_FAIL("a file of garbage was accepted");
        } catch (const ClientStoreError& e) {
            std::string what = e.what();
            CPPUNIT_ASSERT_MESSAGE(what, what.find(path) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(what, what.find("not a database") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(8192, 'x'), rport::test::readFile(path));
    }

    void refusesUnreadableDetailsNamingTheClient() {
        std::string path = dir.file("clients.db");
        { ClientStore store(path, false); }
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        sqlite3_exec(db,
                     "INSERT INTO clients VALUES ('broken', 'a', NULL, '{\"num_cpus\":\"many\"}');"
                     "INSERT INTO clients VALUES ('cut', 'a', NULL, '{\"name\":');",
                     nullptr, nullptr, nullptr);
        sqlite3_close(db);
        ClientStore store(path, false);
        try {
            store.loadAll();
            CPPUNIT_FAIL("unreadable details were accepted");
        } catch (const ClientStoreError& e) {
            std::string what = e.what();
            CPPUNIT_ASSERT_MESSAGE(what, what.find(path) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(what, what.find("client \"broken\"") != std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientStoreTest);
