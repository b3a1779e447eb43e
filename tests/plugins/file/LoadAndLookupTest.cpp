// Loading a valid file and answering get and list from memory.
#include <cppunit/extensions/HelperMacros.h>

#include <random>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using rport::sdk::AuthRecord;
using rport::sdk::IdMatch;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;

namespace {

ListQuery query(std::vector<IdMatch> conditions, uint64_t offset = 0,
                uint64_t limit = std::numeric_limits<uint64_t>::max()) {
    ListQuery q;
    q.conditions = std::move(conditions);
    q.offset = offset;
    q.limit = limit;
    return q;
}

IdMatch anyOf(std::vector<std::string> patterns) { return IdMatch{false, std::move(patterns)}; }
IdMatch allOf(std::vector<std::string> patterns) { return IdMatch{true, std::move(patterns)}; }

using Ids = std::vector<std::string>;

}  // namespace

class LoadAndLookupTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LoadAndLookupTest);
    CPPUNIT_TEST(offersThreadSafeClientAndApiAuthBackends);
    CPPUNIT_TEST(looksUpIdsExactlyAndCaseSensitively);
    CPPUNIT_TEST(returnsBcryptEntriesVerbatimAsAuto);
    CPPUNIT_TEST(listsInByteOrderOfIds);
    CPPUNIT_TEST(pagesAfterCountingAllMatches);
    CPPUNIT_TEST(filtersWithWildcardsIgnoringAsciiCase);
    CPPUNIT_TEST(combinesPatternsWithAndOr);
    CPPUNIT_TEST(prefixIndexAgreesWithPlainMatching);
    CPPUNIT_TEST(lastDuplicateWinsWithAWarning);
    CPPUNIT_TEST(acceptsAnEmptyObject);
    CPPUNIT_TEST(decodesEscapesAndToleratesAByteOrderMark);
    CPPUNIT_TEST(isWritableEvenWhenApiWritesAreOff);
    CPPUNIT_TEST(logsTheNumberOfLoadedEntries);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void offersThreadSafeClientAndApiAuthBackends() {
        const rport_plugin_v1* d = h->plugin().descriptor;
        CPPUNIT_ASSERT_EQUAL(std::string("file"), std::string(d->name));
        const rport_backend_v1* b = rport::sdk::findBackend(d, RPORT_KIND_CLIENT_AUTH, "file");
        CPPUNIT_ASSERT(b);
        CPPUNIT_ASSERT(b->flags & RPORT_BACKEND_THREADSAFE);
        // The host decides read-only mode; the store itself only reads secrets out.
        auto vt = static_cast<const rport_auth_v1*>(b->vtable);
        CPPUNIT_ASSERT(vt->verify == nullptr);
        // [api] auth_file selects the same plugin's api-auth backend.
        const rport_backend_v1* users = rport::sdk::findBackend(d, RPORT_KIND_API_AUTH, "file");
        CPPUNIT_ASSERT(users);
        CPPUNIT_ASSERT(users->flags & RPORT_BACKEND_THREADSAFE);
        CPPUNIT_ASSERT(static_cast<const rport_auth_v1*>(users->vtable)->verify == nullptr);
    }

    void looksUpIdsExactlyAndCaseSensitively() {
        h->writeInPlace(R"({"client1": "pw1", "Client2": "pw2"})");
        auto store = h->open();
        std::optional<AuthRecord> rec;
        CPPUNIT_ASSERT(store->get("client1", rec).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("pw1"), rec->secret);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), rec->secretKind);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("CLIENT1", rec).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("client", rec).code);
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_NOT_FOUND), store->get("client2", rec).code);
        CPPUNIT_ASSERT_EQUAL(std::string("pw2"), secretOf(*store, "Client2"));
    }

    void returnsBcryptEntriesVerbatimAsAuto() {
        // Real hashes of "secret"; the variants differ only in their prefix.
        const std::string b = *rport::sdk::password::hashBcrypt("secret", 4);
        const std::string y = "$2y$" + b.substr(4);
        const std::string a = "$2a$" + b.substr(4);
        h->writeInPlace(R"({"y": ")" + y + R"(", "b": ")" + b + R"(", "a": ")" + a + R"("})");
        auto store = h->open();
        for (const auto& [id, secret] : Credentials{{"y", y}, {"b", b}, {"a", a}}) {
            std::optional<AuthRecord> rec;
            CPPUNIT_ASSERT(store->get(id, rec).ok());
            CPPUNIT_ASSERT_EQUAL(secret, rec->secret);
            CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), rec->secretKind);
        }
        ListPage page;
        CPPUNIT_ASSERT(store->list(ListQuery{}, page).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(3), page.records.size());
        for (const auto& r : page.records)
            CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), r.secretKind);
        CPPUNIT_ASSERT_EQUAL(a, page.records[0].secret);
    }

    void listsInByteOrderOfIds() {
        h->writeInPlace(
            u8R"({"b": "1", "ä": "2", "B": "3", "_x": "4", "a": "5", "A": "6", "a1": "7"})");
        auto store = h->open();
        ListPage page;
        CPPUNIT_ASSERT(store->list(ListQuery{}, page).ok());
        CPPUNIT_ASSERT(Ids({"A", "B", "_x", "a", "a1", "b", u8"ä"}) ==
                       FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(7), page.total);
        CPPUNIT_ASSERT_EQUAL(std::string("6"), page.records[0].secret);
    }

    void pagesAfterCountingAllMatches() {
        Credentials ten;
        for (int i = 0; i < 10; ++i) ten["id" + std::to_string(i)] = "pw" + std::to_string(i);
        h->writeInPlace(FilePluginHarness::render(ten));
        auto store = h->open();
        ListPage page;
        CPPUNIT_ASSERT(store->list(query({}, 3, 4), page).ok());
        CPPUNIT_ASSERT(Ids({"id3", "id4", "id5", "id6"}) == FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);

        CPPUNIT_ASSERT(store->list(query({}, 8, 5), page).ok());
        CPPUNIT_ASSERT(Ids({"id8", "id9"}) == FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);

        CPPUNIT_ASSERT(store->list(query({}, 10, 5), page).ok());
        CPPUNIT_ASSERT(page.records.empty());
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);

        CPPUNIT_ASSERT(store->list(query({}, 0, 0), page).ok());
        CPPUNIT_ASSERT(page.records.empty());
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);

        // Paging a filtered list, with and without the prefix index.
        CPPUNIT_ASSERT(store->list(query({anyOf({"ID*"})}, 1, 2), page).ok());
        CPPUNIT_ASSERT(Ids({"id1", "id2"}) == FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);
        CPPUNIT_ASSERT(store->list(query({anyOf({"*d*"})}, 9, 2), page).ok());
        CPPUNIT_ASSERT(Ids({"id9"}) == FilePluginHarness::ids(page));
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), page.total);
    }

    void filtersWithWildcardsIgnoringAsciiCase() {
        h->writeInPlace(
            u8R"({"abc1": "p", "ABC2": "p", "xabc": "p", "abd": "p", "zzz": "p", "Äx": "p", "äy": "p"})");
        auto store = h->open();
        auto idsFor = [&](std::vector<IdMatch> conditions) {
            ListPage page;
            auto r = store->list(query(std::move(conditions)), page);
            CPPUNIT_ASSERT_MESSAGE(r.message, r.ok());
            CPPUNIT_ASSERT_EQUAL(uint64_t(page.records.size()), page.total);
            return FilePluginHarness::ids(page);
        };
        CPPUNIT_ASSERT(Ids({"ABC2", "abc1"}) == idsFor({anyOf({"abc*"})}));
        CPPUNIT_ASSERT(Ids({"ABC2", "abc1"}) == idsFor({anyOf({"aBc*"})}));
        CPPUNIT_ASSERT(Ids({"ABC2", "abc1", "xabc"}) == idsFor({anyOf({"*abc*"})}));
        CPPUNIT_ASSERT(Ids({"abd"}) == idsFor({anyOf({"ABD"})}));
        CPPUNIT_ASSERT(Ids({}) == idsFor({anyOf({"ab"})}));
        CPPUNIT_ASSERT(Ids({"abc1"}) == idsFor({anyOf({"a*1"})}));
        CPPUNIT_ASSERT(Ids({"ABC2", "abc1", "abd", "xabc", "zzz", u8"Äx", u8"äy"}) ==
                       idsFor({anyOf({"*"})}));
        // Only ASCII letters fold, as in the SDK's matcher.
        CPPUNIT_ASSERT(Ids({u8"äy"}) == idsFor({anyOf({u8"ä*"})}));
        CPPUNIT_ASSERT(Ids({u8"Äx"}) == idsFor({anyOf({u8"ÄX"})}));
    }

    void combinesPatternsWithAndOr() {
        h->writeInPlace(R"({"abc1": "p", "ABC2": "p", "xabc": "p", "abd": "p", "zzz": "p"})");
        auto store = h->open();
        auto idsFor = [&](std::vector<IdMatch> conditions) {
            ListPage page;
            CPPUNIT_ASSERT(store->list(query(std::move(conditions)), page).ok());
            return FilePluginHarness::ids(page);
        };
        CPPUNIT_ASSERT(Ids({"xabc", "zzz"}) == idsFor({anyOf({"zzz", "XABC"})}));
        CPPUNIT_ASSERT(Ids({"ABC2"}) == idsFor({allOf({"a*", "*2"})}));
        CPPUNIT_ASSERT(Ids({"ABC2", "abc1"}) == idsFor({allOf({"abc*", "*"})}));
        CPPUNIT_ASSERT(Ids({"xabc"}) == idsFor({anyOf({"*abc*"}), anyOf({"x*"})}));
        CPPUNIT_ASSERT(Ids({}) == idsFor({anyOf({"abc*"}), anyOf({"x*"})}));
        CPPUNIT_ASSERT(Ids({"abd", "zzz"}) == idsFor({anyOf({"ab*", "z*"}), anyOf({"*d", "*z"})}));
    }

    // Random ids and patterns: the indexed listing must equal a plain scan
    // with the SDK's own matcher, including order, totals and paging.
    void prefixIndexAgreesWithPlainMatching() {
        std::mt19937 rng(12345);
        const std::string alphabet = "aAbBcC_-1";
        auto randomText = [&](size_t min, size_t max) {
            std::uniform_int_distribution<size_t> len(min, max), ch(0, alphabet.size() - 1);
            std::string s(len(rng), 'x');
            for (char& c : s) c = alphabet[ch(rng)];
            return s;
        };
        Credentials all;
        while (all.size() < 2000) all[randomText(1, 6)] = "pw";
        h->writeInPlace(FilePluginHarness::render(all));
        auto store = h->open();

        std::uniform_int_distribution<int> shape(0, 4), count(1, 3);
        for (int round = 0; round < 400; ++round) {
            std::vector<IdMatch> conditions;
            for (int c = count(rng); c > 0; --c) {
                IdMatch m;
                m.all = shape(rng) == 0;
                for (int p = shape(rng) < 3 ? 1 : 2; p > 0; --p) {
                    switch (shape(rng)) {
                        case 0:
                            m.patterns.push_back(randomText(1, 3) + "*");
                            break;
                        case 1:
                            m.patterns.push_back(randomText(1, 3));
                            break;
                        case 2:
                            m.patterns.push_back("*" + randomText(1, 2) + "*");
                            break;
                        case 3:
                            m.patterns.push_back(randomText(1, 2) + "*" + randomText(1, 1));
                            break;
                        default:
                            m.patterns.push_back(randomText(0, 2) + "*");
                            break;
                    }
                }
                conditions.push_back(std::move(m));
            }
            std::uniform_int_distribution<uint64_t> offset(0, 20), limit(0, 30);
            ListQuery q = query(conditions, offset(rng), limit(rng));

            Ids expected;
            uint64_t expectedTotal = 0;
            for (const auto& [id, secret] : all) {
                if (!rport::sdk::matches(q, id)) continue;
                if (expectedTotal >= q.offset && expected.size() < q.limit) expected.push_back(id);
                ++expectedTotal;
            }
            ListPage page;
            CPPUNIT_ASSERT(store->list(q, page).ok());
            CPPUNIT_ASSERT_EQUAL(expectedTotal, page.total);
            CPPUNIT_ASSERT(expected == FilePluginHarness::ids(page));
        }
    }

    void lastDuplicateWinsWithAWarning() {
        h->writeInPlace(R"({"a": "first", "b": "x", "a": "second"})");
        auto store = h->open();
        CPPUNIT_ASSERT_EQUAL(std::string("second"), secretOf(*store, "a"));
        CPPUNIT_ASSERT_EQUAL(size_t(2), FilePluginHarness::listAll(*store).size());
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->logCount(RPORT_LOG_WARNING, "the last value wins: \"a\""));
        CPPUNIT_ASSERT_EQUAL(size_t(1), h->logCount(RPORT_LOG_WARNING, h->path()));
    }

    void acceptsAnEmptyObject() {
        h->writeInPlace("{}");
        auto store = h->open();
        ListPage page;
        CPPUNIT_ASSERT(store->list(ListQuery{}, page).ok());
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), page.total);
        CPPUNIT_ASSERT(page.records.empty());
    }

    void decodesEscapesAndToleratesAByteOrderMark() {
        h->writeInPlace(
            "\xEF\xBB\xBF{\"a\\\"b\": \"p\\\\w\\n\", \"\\u00e9\\u003c\": \"\\ud83d\\ude00\"}");
        auto store = h->open();
        CPPUNIT_ASSERT_EQUAL(std::string("p\\w\n"), secretOf(*store, "a\"b"));
        CPPUNIT_ASSERT_EQUAL(std::string(u8"\U0001F600"), secretOf(*store, u8"é<"));
    }

    void isWritableEvenWhenApiWritesAreOff() {
        h->writeInPlace(R"({"a": "b"})");
        CPPUNIT_ASSERT(h->open({{"write", "false"}})->writable());
        CPPUNIT_ASSERT(h->open({{"write", "true"}})->writable());
    }

    void logsTheNumberOfLoadedEntries() {
        h->writeInPlace(R"({"a": "b", "c": "d"})");
        auto store = h->open();
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             h->logCount(RPORT_LOG_INFO, "client auth file \"" + h->path() +
                                                             "\": loaded 2 client credentials"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoadAndLookupTest);
