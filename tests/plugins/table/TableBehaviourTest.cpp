#include "TableBehaviourTest.h"

#include <atomic>
#include <rport/password.hpp>
#include <thread>

namespace rport::test {

using sdk::AuthRecord;
using sdk::IdMatch;
using sdk::ListPage;
using sdk::ListQuery;
using Ids = std::vector<std::string>;

namespace {

int32_t codeOf(const sdk::CallResult& r) { return r.code; }

}  // namespace

ListQuery query(std::vector<IdMatch> conditions, uint64_t offset, uint64_t limit) {
    ListQuery q;
    q.conditions = std::move(conditions);
    q.offset = offset;
    q.limit = limit;
    return q;
}

IdMatch anyOf(std::vector<std::string> patterns) { return IdMatch{false, std::move(patterns)}; }
IdMatch allOf(std::vector<std::string> patterns) { return IdMatch{true, std::move(patterns)}; }

void TableBehaviourTest::setUp() {
    static std::atomic<int> counter{0};
    table = "auth_" + std::to_string(++counter);
    host = std::make_unique<sdk::testing::FakeHost>();
    plugin = host->open(TABLE_PLUGIN_PATH);
    store = open(table, {{"create_tables", "true"}});
}

void TableBehaviourTest::tearDown() {
    store.reset();
    plugin = {};
    host.reset();
}

std::unique_ptr<sdk::AuthClient> TableBehaviourTest::open(const std::string& name,
                                                          const Settings& changes) {
    Settings settings = database().settings(name);
    for (const auto& [k, v] : changes) settings[k] = v;
    host->settings = settings;
    return host->createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "table");
}

void TableBehaviourTest::add(const std::string& id, const std::string& secret) {
    AuthRecord r;
    r.id = id;
    r.secret = secret;
    sdk::CallResult result = store->add(r);
    CPPUNIT_ASSERT_MESSAGE("add " + id + ": " + result.message, result.ok());
}

std::vector<std::string> TableBehaviourTest::ids(const ListQuery& q, uint64_t* total) {
    ListPage page;
    sdk::CallResult r = store->list(q, page);
    CPPUNIT_ASSERT_MESSAGE(r.message, r.ok());
    if (total) *total = page.total;
    Ids out;
    for (const auto& rec : page.records) out.push_back(rec.id);
    return out;
}

void TableBehaviourTest::getReturnsTheStoredPair() {
    add("client1", "s3cret");
    std::optional<AuthRecord> rec;
    sdk::CallResult r = store->get("client1", rec);
    CPPUNIT_ASSERT_MESSAGE(r.message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("client1"), rec->id);
    CPPUNIT_ASSERT_EQUAL(std::string("s3cret"), rec->secret);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), rec->secretKind);
}

void TableBehaviourTest::getOfAnUnknownIdIsNotFound() {
    add("client1", "s3cret");
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("client2", rec)));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("", rec)));
    CPPUNIT_ASSERT(!rec);
}

// The shipped DDL makes ids exact on both databases (binary collation on
// MySQL), like the file store: a login must present the id as stored.
void TableBehaviourTest::getMatchesTheIdExactly() {
    add("Client1", "pw");
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("client1", rec)));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("CLIENT1", rec)));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("Client", rec)));
    CPPUNIT_ASSERT(store->get("Client1", rec).ok());
}

void TableBehaviourTest::bcryptSecretsComeBackVerbatim() {
    auto hash = sdk::password::hashBcrypt("correct horse", 4);
    CPPUNIT_ASSERT(hash);
    AuthRecord r;
    r.id = "hashed";
    r.secret = *hash;
    r.secretKind = RPORT_SECRET_HASHED;
    CPPUNIT_ASSERT(store->add(r).ok());
    std::string longSecret(255, 'x');  // the widened column takes 255 characters
    add("long", longSecret);

    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT(store->get("hashed", rec).ok());
    CPPUNIT_ASSERT_EQUAL(*hash, rec->secret);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), rec->secretKind);
    CPPUNIT_ASSERT(sdk::password::verifyHash(rec->secret, "correct horse") ==
                   sdk::password::Verdict::Match);
    CPPUNIT_ASSERT(store->get("long", rec).ok());
    CPPUNIT_ASSERT_EQUAL(longSecret, rec->secret);
}

void TableBehaviourTest::addingATakenIdIsExists() {
    add("client1", "one");
    AuthRecord again;
    again.id = "client1";
    again.secret = "two";
    sdk::CallResult r = store->add(again);
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_EXISTS), r.code);
    CPPUNIT_ASSERT(r.message.find("client1") != std::string::npos);
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT(store->get("client1", rec).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("one"), rec->secret);
}

void TableBehaviourTest::removeDeletesAndThenIsNotFound() {
    add("a", "1");
    add("b", "2");
    CPPUNIT_ASSERT(store->remove("a").ok());
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("a", rec)));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->remove("a")));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->remove("nobody")));
    CPPUNIT_ASSERT(store->get("b", rec).ok());
}

void TableBehaviourTest::listIsSortedByBytes() {
    for (const char* id : {"b", "B", "a", "A", "_x", "Z", "0"}) add(id, "pw");
    uint64_t total = 0;
    CPPUNIT_ASSERT(Ids({"0", "A", "B", "Z", "_x", "a", "b"}) == ids(query({}), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    ListPage page;
    CPPUNIT_ASSERT(store->list(query({}), page).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("pw"), page.records.front().secret);
}

void TableBehaviourTest::listOfAnEmptyTableIsEmpty() {
    uint64_t total = 99;
    CPPUNIT_ASSERT(ids(query({}), &total).empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), total);
    CPPUNIT_ASSERT(ids(query({anyOf({"x*"})}), &total).empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(0), total);
}

void TableBehaviourTest::exactFilterIgnoresCase() {
    for (const char* id : {"alice", "alice2", "Bob"}) add(id, "pw");
    CPPUNIT_ASSERT(Ids({"alice"}) == ids(query({anyOf({"ALICE"})})));
    CPPUNIT_ASSERT(Ids({"Bob"}) == ids(query({anyOf({"bob"})})));
    CPPUNIT_ASSERT(ids(query({anyOf({"alic"})})).empty());
    CPPUNIT_ASSERT(ids(query({anyOf({""})})).empty());
}

void TableBehaviourTest::wildcardFilterMatchesWholeIds() {
    for (const char* id : {"ab", "abc", "ABX", "xab", "a"}) add(id, "pw");
    CPPUNIT_ASSERT(Ids({"ABX", "ab", "abc"}) == ids(query({anyOf({"ab*"})})));
    CPPUNIT_ASSERT(Ids({"ab", "xab"}) == ids(query({anyOf({"*b"})})));
    CPPUNIT_ASSERT(Ids({"abc"}) == ids(query({anyOf({"a*C"})})));
    CPPUNIT_ASSERT(Ids({"ABX", "a", "ab", "abc", "xab"}) == ids(query({anyOf({"*"})})));
    CPPUNIT_ASSERT(Ids({"ABX", "a", "ab", "abc", "xab"}) == ids(query({anyOf({"**"})})));
}

// Upper- and lower-case spellings, and neighbours in byte order ('@' sorts
// before 'A', '[' and '`' between 'Z' and 'a'), so that a search that only
// looks at part of the table (SQLite narrows by id range) is caught missing one.
void TableBehaviourTest::everySpellingOfAPatternMatches() {
    for (const char* id :
         {"AB1", "Ab2", "aB3", "ab4", "ABa", "A", "a", "b", "@ab", "[ab", "`ab", "ab", "AC", "aa"})
        add(id, "pw");
    CPPUNIT_ASSERT(Ids({"AB1", "ABa", "Ab2", "aB3", "ab", "ab4"}) == ids(query({anyOf({"ab*"})})));
    CPPUNIT_ASSERT(Ids({"AB1", "ABa", "Ab2", "aB3", "ab", "ab4"}) == ids(query({anyOf({"aB*"})})));
    CPPUNIT_ASSERT(Ids({"ab4"}) == ids(query({anyOf({"AB4"})})));
    CPPUNIT_ASSERT(Ids({"ab"}) == ids(query({anyOf({"Ab"})})));
    CPPUNIT_ASSERT(Ids({"A", "a"}) == ids(query({anyOf({"a"})})));
    CPPUNIT_ASSERT(Ids({"@ab", "[ab", "`ab"}) ==
                   ids(query({anyOf({"?ab", "*ab"}), anyOf({"[*", "@*", "`*"})})));
    uint64_t total = 0;
    CPPUNIT_ASSERT(Ids({"AC", "Ab2"}) == ids(query({anyOf({"A*"})}, 3, 2), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(10), total);
}

// '%', '_' and '!' mean something to LIKE (and '!' is our escape
// character); in rport patterns only '*' does. A backslash is literal too.
void TableBehaviourTest::likeCharactersInPatternsAreLiteral() {
    for (const char* id : {"a%b", "a_b", "a!b", "axb", "a\\b", "a%", "a!"}) add(id, "pw");
    CPPUNIT_ASSERT(Ids({"a%b"}) == ids(query({anyOf({"a%b"})})));
    CPPUNIT_ASSERT(Ids({"a%", "a%b"}) == ids(query({anyOf({"a%*"})})));
    CPPUNIT_ASSERT(Ids({"a_b"}) == ids(query({anyOf({"a_*"})})));
    CPPUNIT_ASSERT(Ids({"a!", "a!b"}) == ids(query({anyOf({"a!*"})})));
    CPPUNIT_ASSERT(Ids({"a!"}) == ids(query({anyOf({"*!"})})));
    CPPUNIT_ASSERT(Ids({"a\\b"}) == ids(query({anyOf({"a\\*"})})));
    CPPUNIT_ASSERT(Ids({"a!b", "a%b", "a\\b", "a_b", "axb"}) == ids(query({anyOf({"*b"})})));
    CPPUNIT_ASSERT(Ids({"a_b"}) == ids(query({anyOf({"*_*"})})));
}

void TableBehaviourTest::patternsCombineWithOrAndAnd() {
    for (const char* id : {"alice", "bob", "carol", "dave"}) add(id, "pw");
    CPPUNIT_ASSERT(Ids({"alice", "bob"}) == ids(query({anyOf({"alice", "BOB"})})));
    CPPUNIT_ASSERT(Ids({"alice"}) == ids(query({allOf({"a*", "*e"})})));
    CPPUNIT_ASSERT(Ids({"carol"}) == ids(query({allOf({"*a*", "*o*"})})));
    CPPUNIT_ASSERT(Ids({"bob"}) == ids(query({allOf({"bob", "b*"})})));
    CPPUNIT_ASSERT(ids(query({allOf({"bob", "alice"})})).empty());
    CPPUNIT_ASSERT(Ids({"carol", "dave"}) == ids(query({anyOf({"*a*"}), anyOf({"*o*", "*v*"})})));
    CPPUNIT_ASSERT(Ids({"alice", "bob", "carol", "dave"}) == ids(query({anyOf({})})));
}

void TableBehaviourTest::pagingKeepsTheTotal() {
    for (int i = 0; i < 7; ++i) add("c" + std::to_string(i), "pw");
    uint64_t total = 0;
    CPPUNIT_ASSERT(Ids({"c0", "c1", "c2"}) == ids(query({}, 0, 3), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    CPPUNIT_ASSERT(Ids({"c3", "c4", "c5"}) == ids(query({}, 3, 3), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    CPPUNIT_ASSERT(Ids({"c6"}) == ids(query({}, 6, 3), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    CPPUNIT_ASSERT(ids(query({}, 10, 3), &total).empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    CPPUNIT_ASSERT(ids(query({}, 0, 0), &total).empty());
    CPPUNIT_ASSERT_EQUAL(uint64_t(7), total);
    CPPUNIT_ASSERT(Ids({"c2"}) == ids(query({anyOf({"c1", "C2", "c5"})}, 1, 1), &total));
    CPPUNIT_ASSERT_EQUAL(uint64_t(3), total);
}

void TableBehaviourTest::sqlInjectionIsInert() {
    add("x", "pw");
    const std::string hostile = "'; DROP TABLE " + table + "; --";
    add(hostile, "evil");
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT(store->get(hostile, rec).ok());
    CPPUNIT_ASSERT_EQUAL(hostile, rec->id);
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->get("x' OR '1'='1", rec)));
    CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), codeOf(store->remove("x' OR '1'='1")));
    CPPUNIT_ASSERT(ids(query({anyOf({"' OR 1=1 --"})})).empty());
    CPPUNIT_ASSERT(ids(query({anyOf({"*' OR '1'='1"})})).empty());
    CPPUNIT_ASSERT(ids(query({anyOf({"x') OR ('1'='1"})})).empty());
    uint64_t total = 0;
    CPPUNIT_ASSERT_EQUAL(size_t(2), ids(query({}), &total).size());
    CPPUNIT_ASSERT_EQUAL(std::string("2"), database().scalar("SELECT COUNT(*) FROM " + table));
}

void TableBehaviourTest::storeIsWritableWhateverTheWriteSetting() {
    CPPUNIT_ASSERT(store->writable());
    auto readOnlyByConfig = open(table, {{"write", "false"}});
    CPPUNIT_ASSERT(readOnlyByConfig->writable());
}

void TableBehaviourTest::createTablesTwiceKeepsTheData() {
    add("kept", "pw");
    auto second = open(table, {{"create_tables", "true"}});
    std::optional<AuthRecord> rec;
    CPPUNIT_ASSERT(second->get("kept", rec).ok());
    auto third = open(table, {{"create_tables", "true"}});
    CPPUNIT_ASSERT(third->get("kept", rec).ok());
    CPPUNIT_ASSERT_EQUAL(std::string("1"), database().scalar("SELECT COUNT(*) FROM " + table));
}

void TableBehaviourTest::badTableNamesAreRejected() {
    const std::vector<std::string> bad{"",      "1abc",
                                       "a b",   "a;b",
                                       "a`b",   "t--",
                                       "x'y",   std::string(65, 't'),
                                       "a.b.c", "\xc3\xa9t\xc3\xa9",
                                       "a/*",   ".t",
                                       "t."};
    for (const auto& name : bad) {
        try {
            open(name, {{"create_tables", "true"}});
            CPPUNIT_FAIL("accepted table name \"" + name + "\"");
        } catch (const sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
            CPPUNIT_ASSERT_MESSAGE(e.what(),
                                   std::string(e.what()).find("'table'") != std::string::npos);
        }
    }
    auto longest = open(std::string(64, 't'), {{"create_tables", "true"}});
    CPPUNIT_ASSERT(longest);
}

void TableBehaviourTest::missingTableIsExplained() {
    try {
        open("no_such_table");
        CPPUNIT_FAIL("created a store on a missing table");
    } catch (const sdk::Error& e) {
        const std::string message = e.what();
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        CPPUNIT_ASSERT_MESSAGE(message, message.find("'no_such_table'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(message, message.find("is missing") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(message,
                               message.find("rportd --create-tables") != std::string::npos);
    }
}

void TableBehaviourTest::concurrentGetsFromEightThreads() {
    constexpr int kIds = 100;
    constexpr int kThreads = 8;
    constexpr int kGetsPerThread = 500;
    for (int i = 0; i < kIds; ++i) add("id" + std::to_string(i), "secret" + std::to_string(i));
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int n = 0; n < kGetsPerThread; ++n) {
                int i = (n * 7 + t) % kIds;
                std::optional<AuthRecord> rec;
                if (!store->get("id" + std::to_string(i), rec).ok() ||
                    rec->secret != "secret" + std::to_string(i))
                    ++failures;
            }
        });
    for (auto& th : threads) th.join();
    CPPUNIT_ASSERT_EQUAL(0, failures.load());
}

}  // namespace rport::test
