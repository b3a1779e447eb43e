#include "UserTableBehaviourTest.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <rport/password.hpp>

namespace rport::test {

using sdk::AuthRecord;
using sdk::CallResult;
using Names = std::vector<std::string>;

namespace {

// A SQL string literal (the test values hold no backslashes).
std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

sdk::ListQuery query(std::vector<std::string> patterns, uint64_t offset = 0,
                     uint64_t limit = std::numeric_limits<uint64_t>::max()) {
    sdk::ListQuery q;
    if (!patterns.empty()) q.conditions.push_back(sdk::IdMatch{false, std::move(patterns)});
    q.offset = offset;
    q.limit = limit;
    return q;
}

Names idsOf(const sdk::ListPage& page) {
    Names out;
    for (const auto& r : page.records) out.push_back(r.id);
    return out;
}

bool mentions(const AuthRecord& r, const std::string& needle) {
    auto has = [&](const std::string& s) { return s.find(needle) != std::string::npos; };
    if (has(r.id) || has(r.secret)) return true;
    for (const auto& g : r.groups)
        if (has(g)) return true;
    for (const auto& [k, v] : r.attributes)
        if (has(k) || has(v)) return true;
    return false;
}

}  // namespace

std::string attribute(const AuthRecord& record, const std::string& key) {
    for (const auto& [k, v] : record.attributes)
        if (k == key) return v;
    return "";
}

void UserTableBehaviourTest::setUp() {
    static std::atomic<int> counter{0};
    const std::string n = std::to_string(++counter);
    users = "users_" + n;
    groups = "groups_" + n;
    details = "details_" + n;
    host = std::make_unique<sdk::testing::FakeHost>();
    plugin = host->open(TABLE_PLUGIN_PATH);
    store = open({{"create_tables", "true"}});
}

void UserTableBehaviourTest::tearDown() {
    store.reset();
    plugin = {};
    host.reset();
}

UserTableBehaviourTest::Settings UserTableBehaviourTest::settings(const Settings& changes) {
    Settings s = database().settings("unused");
    s.erase("table");
    s.erase("write");
    s["user_table"] = users;
    s["group_table"] = groups;
    s["group_details_table"] = details;
    for (const auto& [k, v] : changes) s[k] = v;
    return s;
}

std::unique_ptr<sdk::AuthClient> UserTableBehaviourTest::open(const Settings& changes) {
    host->settings = settings(changes);
    return host->createAuth(plugin, RPORT_KIND_API_AUTH, "table");
}

void UserTableBehaviourTest::insertUser(const std::string& username, const std::string& password,
                                        bool expired, const Names& groupNames) {
    database().exec("INSERT INTO " + users + " (username, password, password_expired) VALUES (" +
                    quote(username) + ", " + quote(password) + ", " + (expired ? "1" : "0") + ")");
    for (const auto& g : groupNames)
        database().exec("INSERT INTO " + groups + " (username, `group`) VALUES (" +
                        quote(username) + ", " + quote(g) + ")");
}

void UserTableBehaviourTest::add(const std::string& username, const std::string& password,
                                 const Names& groupNames, const std::string& expired) {
    AuthRecord r;
    r.id = username;
    r.secret = password;
    r.groups = groupNames;
    if (!expired.empty()) r.attributes.emplace_back("password_expired", expired);
    CallResult result = store->add(r);
    CPPUNIT_ASSERT_MESSAGE("add " + username + ": " + result.message, result.ok());
}

AuthRecord UserTableBehaviourTest::get(const std::string& username) {
    std::optional<AuthRecord> rec;
    CallResult r = store->get(username, rec);
    CPPUNIT_ASSERT_MESSAGE("get " + username + ": " + r.message, r.ok());
    return *rec;
}

std::string UserTableBehaviourTest::count(const std::string& table, const std::string& where) {
    return database().scalar("SELECT COUNT(*) FROM " + table +
                             (where.empty() ? "" : " WHERE " + where));
}

void UserTableBehaviourTest::expectCreateFails(const Settings& changes, int32_t code,
                                               const Names& needles) {
    try {
        open(changes);
        CPPUNIT_FAIL("create succeeded; expected: " + needles.front());
    } catch (const sdk::Error& e) {
        const std::string message = e.what();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(message, code, e.code());
        for (const auto& needle : needles)
            CPPUNIT_ASSERT_MESSAGE(message + " lacks " + needle,
                                   message.find(needle) != std::string::npos);
    }
}

void UserTableBehaviourTest::getReturnsGroupsAndPasswordExpired() {
    insertUser("alice", "plain-pw", true, {"Users", "Administrators"});
    const std::string hash = *sdk::password::hashBcrypt("bob-pw", 4, "$2y$");
    insertUser("bob", hash, false, {"Users"});

    AuthRecord alice = get("alice");
    CPPUNIT_ASSERT_EQUAL(std::string("alice"), alice.id);
    CPPUNIT_ASSERT_EQUAL(std::string("plain-pw"), alice.secret);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), alice.secretKind);
    CPPUNIT_ASSERT(Names({"Administrators", "Users"}) == alice.groups);
    CPPUNIT_ASSERT_EQUAL(std::string("true"), attribute(alice, "password_expired"));

    AuthRecord bob = get("bob");
    CPPUNIT_ASSERT_EQUAL(hash, bob.secret);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), bob.secretKind);
    CPPUNIT_ASSERT(Names({"Users"}) == bob.groups);
    CPPUNIT_ASSERT_EQUAL(std::string("false"), attribute(bob, "password_expired"));
}

void UserTableBehaviourTest::userWithoutGroupsHasNone() {
    insertUser("member", "pw", false, {"Users"});
    insertUser("loner", "pw", false, {});
    AuthRecord loner = get("loner");
    CPPUNIT_ASSERT(loner.groups.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("false"), attribute(loner, "password_expired"));
}

void UserTableBehaviourTest::unknownUserIsNotFound() {
    insertUser("Alice", "pw", false, {"Users"});
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("nobody", rec).code);
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("", rec).code);
    // The created tables compare names exactly, in MySQL too.
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("alice", rec).code);
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("Alice' OR '1'='1", rec).code);
    CPPUNIT_ASSERT(!rec);
    CPPUNIT_ASSERT(store->get("Alice", rec).ok());
}

void UserTableBehaviourTest::listFiltersAndPagesWithGroups() {
    add("carol", "pw", {"Users"});
    add("alice", "pw", {"Users", "Administrators"}, "true");
    add("Bob", "pw", {});
    add("dave", "pw", {"Users"});
    add("_x", "pw", {});

    sdk::ListPage page;
    CPPUNIT_ASSERT(store->list(query({}), page).ok());
    CPPUNIT_ASSERT(Names({"Bob", "_x", "alice", "carol", "dave"}) == idsOf(page));
    CPPUNIT_ASSERT_EQUAL(uint64_t(5), page.total);
    const AuthRecord& alice = page.records[2];
    CPPUNIT_ASSERT(Names({"Administrators", "Users"}) == alice.groups);
    CPPUNIT_ASSERT_EQUAL(std::string("true"), attribute(alice, "password_expired"));
    CPPUNIT_ASSERT(page.records[0].groups.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("false"), attribute(page.records[0], "password_expired"));

    CPPUNIT_ASSERT(store->list(query({"BOB"}), page).ok());
    CPPUNIT_ASSERT(Names({"Bob"}) == idsOf(page));
    CPPUNIT_ASSERT(store->list(query({"a*", "*_*"}), page).ok());
    CPPUNIT_ASSERT(Names({"_x", "alice"}) == idsOf(page));

    CPPUNIT_ASSERT(store->list(query({}, 1, 2), page).ok());
    CPPUNIT_ASSERT(Names({"_x", "alice"}) == idsOf(page));
    CPPUNIT_ASSERT_EQUAL(uint64_t(5), page.total);
    CPPUNIT_ASSERT(store->list(query({"*a*"}, 1, 1), page).ok());
    CPPUNIT_ASSERT(Names({"carol"}) == idsOf(page));
    CPPUNIT_ASSERT(Names({"Users"}) == page.records[0].groups);
    CPPUNIT_ASSERT_EQUAL(uint64_t(3), page.total);
    CPPUNIT_ASSERT(store->list(query({}, 9, 2), page).ok());
    CPPUNIT_ASSERT(page.records.empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(5), page.total);
}

void UserTableBehaviourTest::createTablesTwiceKeepsAllThreeTables() {
    add("kept", "pw", {"Users", "Administrators"});
    database().exec("INSERT INTO " + details + " (name, permissions) VALUES ('Users', " +
                    quote("{\"tunnels\":true}") + ")");
    for (int i = 0; i < 2; ++i) {
        auto again = open({{"create_tables", "true"}});
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT(again->get("kept", rec).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(2), rec->groups.size());
    }
    CPPUNIT_ASSERT_EQUAL(std::string("1"), count(users));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), count(groups));
    CPPUNIT_ASSERT_EQUAL(std::string("{\"tunnels\":true}"),
                         database().scalar("SELECT permissions FROM " + details));
}

void UserTableBehaviourTest::createdTablesHaveTheDocumentedColumns() {
    database().exec("INSERT INTO " + users +
                    " (username, password, two_fa_send_to, token, totp_secret) VALUES "
                    "('full', 'pw', 'full@example.com', 'tok', 'seed')");
    CPPUNIT_ASSERT_EQUAL(std::string("false"), attribute(get("full"), "password_expired"));
    database().exec("INSERT INTO " + details + " (name) VALUES ('Users')");
    CPPUNIT_ASSERT_EQUAL(std::string("{}"),
                         database().scalar("SELECT permissions FROM " + details));
    // The unique keys: one row per user, one per user and group.
    CPPUNIT_ASSERT_THROW(database().exec("INSERT INTO " + users +
                                         " (username, password) VALUES ('full', 'again')"),
                         std::exception);
    database().exec("INSERT INTO " + groups + " (username, `group`) VALUES ('full', 'Users')");
    CPPUNIT_ASSERT_THROW(database().exec("INSERT INTO " + groups +
                                         " (username, `group`) VALUES ('full', 'Users')"),
                         std::exception);
    CPPUNIT_ASSERT_THROW(
        database().exec("INSERT INTO " + details + " (name) VALUES ('Users')"), std::exception);
}

void UserTableBehaviourTest::missingTablesAreNamed() {
    const Names advice{"is missing", "rportd --create-tables"};
    auto expectMissing = [&](const Settings& changes, const std::string& table) {
        Names needles = advice;
        needles.push_back("'" + table + "'");
        expectCreateFails(changes, RPORT_E_INVALID, needles);
    };
    expectMissing({{"user_table", "no_users"}}, "no_users");
    expectMissing({{"group_table", "no_groups"}}, "no_groups");
    expectMissing({{"group_details_table", "no_details"}}, "no_details");
    // Without a details table nothing needs one.
    CPPUNIT_ASSERT(open({{"group_details_table", ""}, {"create_tables", "false"}}));
}

void UserTableBehaviourTest::addAndRemoveRoundTrip() {
    add("eve", "eve-pw", {"Users", "Administrators", "Users"}, "true");
    AuthRecord eve = get("eve");
    CPPUNIT_ASSERT_EQUAL(std::string("eve-pw"), eve.secret);
    CPPUNIT_ASSERT(Names({"Administrators", "Users"}) == eve.groups);
    CPPUNIT_ASSERT_EQUAL(std::string("true"), attribute(eve, "password_expired"));
    CPPUNIT_ASSERT_EQUAL(std::string("2"), count(groups, "username = 'eve'"));

    AuthRecord hashed;
    hashed.id = "hashed";
    hashed.secret = *sdk::password::hashBcrypt("correct horse", 4, "$2y$");
    hashed.secretKind = RPORT_SECRET_HASHED;
    CPPUNIT_ASSERT(store->add(hashed).ok());
    AuthRecord back = get("hashed");
    CPPUNIT_ASSERT_EQUAL(hashed.secret, back.secret);
    CPPUNIT_ASSERT(sdk::password::verifyHash(back.secret, "correct horse") ==
                   sdk::password::Verdict::Match);
    CPPUNIT_ASSERT_EQUAL(std::string("false"), attribute(back, "password_expired"));

    CallResult removed = store->remove("eve");
    CPPUNIT_ASSERT_MESSAGE(removed.message, removed.ok());
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("eve", rec).code);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(users, "username = 'eve'"));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(groups, "username = 'eve'"));
    CallResult again = store->remove("eve");
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), again.code);
    CPPUNIT_ASSERT(again.message.find("eve") != std::string::npos);
    CPPUNIT_ASSERT(store->get("hashed", rec).ok());
}

// The user row goes in first; the second group row fails. The transaction
// must take the user row and the first group row back with it, and leave
// the connection fit for the next call.
void UserTableBehaviourTest::failingGroupInsertLeavesNothingBehind() {
    failInsertsOfGroup("boom");
    AuthRecord r;
    r.id = "frank";
    r.secret = "pw";
    r.groups = {"Users", "boom"};
    CallResult result = store->add(r);
    CPPUNIT_ASSERT_MESSAGE("add succeeded despite the failing group insert", !result.ok());
    // The failure is the database's, reported as such, not "taken".
    CPPUNIT_ASSERT_EQUAL_MESSAGE(result.message, int32_t(RPORT_E_INTERNAL), result.code);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(users, "username = 'frank'"));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(groups, "username = 'frank'"));
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("frank", rec).code);

    add("frank", "pw", {"Users"});
    CPPUNIT_ASSERT_EQUAL(std::string("1"), count(users, "username = 'frank'"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), count(groups, "username = 'frank'"));
    // Writes made elsewhere afterwards are seen: no transaction was left
    // open on the pooled connection.
    insertUser("later", "pw", false, {"Users"});
    CPPUNIT_ASSERT(Names({"Users"}) == get("later").groups);
}

void UserTableBehaviourTest::addingAnExistingUserIsExists() {
    add("gina", "one", {"Users"});
    AuthRecord again;
    again.id = "gina";
    again.secret = "two";
    again.groups = {"Administrators"};
    CallResult r = store->add(again);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.message, int32_t(RPORT_E_EXISTS), r.code);
    CPPUNIT_ASSERT(r.message.find("gina") != std::string::npos);
    AuthRecord gina = get("gina");
    CPPUNIT_ASSERT_EQUAL(std::string("one"), gina.secret);
    CPPUNIT_ASSERT(Names({"Users"}) == gina.groups);
}

// Group rows of a user removed by some other tool must not hand their
// groups (Administrators!) to a new user of the same name.
void UserTableBehaviourTest::staleGroupRowsDoNotReachANewUser() {
    database().exec("INSERT INTO " + groups + " (username, `group`) VALUES ('henry', 'Administrators')");
    add("henry", "pw", {"Users"});
    CPPUNIT_ASSERT(Names({"Users"}) == get("henry").groups);
}

void UserTableBehaviourTest::unstorableRecordsAreInvalid() {
    auto record = [](std::string id, std::string secret, uint32_t kind) {
        AuthRecord r;
        r.id = std::move(id);
        r.secret = std::move(secret);
        r.secretKind = kind;
        return r;
    };
    const std::string hash = *sdk::password::hashBcrypt("pw", 4);
    std::vector<AuthRecord> bad{record("u1", "pw", RPORT_SECRET_WITHHELD),
                                record("u2", hash, RPORT_SECRET_PLAIN),
                                record("u3", "not-a-hash", RPORT_SECRET_HASHED),
                                record("", "pw", RPORT_SECRET_AUTO),
                                record("u5", "", RPORT_SECRET_AUTO),
                                record("u6", "pw", RPORT_SECRET_AUTO),
                                record("u7", "pw", RPORT_SECRET_AUTO)};
    bad[5].attributes.emplace_back("password_expired", "yes");
    bad[6].groups = {"Users", ""};
    for (const auto& r : bad) {
        CallResult result = store->add(r);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.id + ": " + result.message, int32_t(RPORT_E_INVALID),
                                     result.code);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(users));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), count(groups));
}

void UserTableBehaviourTest::totpSecretIsNeverEmitted() {
    const std::string seed = "TOTP-SEED-4711";
    database().exec("INSERT INTO " + users +
                    " (username, password, password_expired, two_fa_send_to, totp_secret) "
                    "VALUES ('ivan', 'pw', 0, 'ivan@example.com', " +
                    quote(seed) + ")");
    database().exec("INSERT INTO " + groups + " (username, `group`) VALUES ('ivan', 'Users')");
    AuthRecord ivan = get("ivan");
    CPPUNIT_ASSERT(!mentions(ivan, seed));
    for (const auto& [k, v] : ivan.attributes) CPPUNIT_ASSERT(k.find("totp") == std::string::npos);
    sdk::ListPage page;
    CPPUNIT_ASSERT(store->list(query({}), page).ok());
    CPPUNIT_ASSERT_EQUAL(size_t(1), page.records.size());
    CPPUNIT_ASSERT(!mentions(page.records[0], seed));
}

void UserTableBehaviourTest::badTableSettingsAreRejected() {
    expectCreateFails({{"user_table", ""}}, RPORT_E_INVALID,
                      {"'user_table'", "[api] auth_user_table", "required"});
    expectCreateFails({{"group_table", ""}}, RPORT_E_INVALID,
                      {"'group_table'", "[api] auth_group_table", "required"});
    for (const char* bad : {"a;b", "1abc", "a b", "x`y", "t--"}) {
        expectCreateFails({{"user_table", bad}}, RPORT_E_INVALID, {"'user_table'"});
        expectCreateFails({{"group_table", bad}}, RPORT_E_INVALID, {"'group_table'"});
        expectCreateFails({{"group_details_table", bad}}, RPORT_E_INVALID,
                          {"'group_details_table'"});
    }
    expectCreateFails({{"group_table", users}}, RPORT_E_INVALID, {"the same table"});
    expectCreateFails({{"group_details_table", groups}}, RPORT_E_INVALID, {"the same table"});
    expectCreateFails({{"db_type", "postgres"}}, RPORT_E_INVALID, {"invalid 'db_type'"});
    host->settings = settings();
    host->settings.erase("user_table");
    CPPUNIT_ASSERT_THROW(host->createAuth(plugin, RPORT_KIND_API_AUTH, "table"), sdk::Error);
}

}  // namespace rport::test
