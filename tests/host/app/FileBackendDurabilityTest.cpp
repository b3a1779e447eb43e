// No acknowledged write is lost: the file backend under concurrent API writes
// and under kill -9 at random moments.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "Sanitizers.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

// The ids in the credential file; fails the test if it does not parse.
std::set<std::string> idsInFile(const std::string& path) {
    std::string text = readFile(path);
    Poco::JSON::Object::Ptr obj;
    try {
        obj = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        CPPUNIT_FAIL("credential file does not parse (" + e.displayText() + "):\n" + text);
    }
    std::set<std::string> ids;
    for (const auto& [k, v] : *obj) ids.insert(k);
    return ids;
}

std::string credential(const std::string& id) { return "{\"id\":\"" + id + "\",\"password\":\"pw-" + id + "\"}"; }

}  // namespace

class FileBackendDurabilityTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FileBackendDurabilityTest);
    CPPUNIT_TEST(concurrentWritersLeaveExactlyTheAcknowledgedState);
    CPPUNIT_TEST(killDashNineNeverLosesAnAcknowledgedWrite);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    std::string file;
    std::string config;

public:
    void setUp() override {
        file = dir.file("client-auth.json");
        std::ofstream(file) << "{\"seed\":\"seed-pw\"}\n";
        config = dir.write("rportd.conf", "[server]\naddress = \"127.0.0.1:0\"\nauth_file = \"" + file + "\"\ndata_dir = \"" + dir.file("data") +
                                              "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n");
    }

    void concurrentWritersLeaveExactlyTheAcknowledgedState() {
        RportdProcess rportd({"-c", config}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        constexpr int kThreads = 8, kOps = 60;
        std::vector<std::set<std::string>> owned(kThreads);  // each thread's acknowledged ids
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937 rng(static_cast<unsigned>(t * 7919));
                for (int i = 0; i < kOps; ++i) {
                    // Ids of this thread only, so its own answers decide their fate.
                    std::string id = "t" + std::to_string(t) + "-" + std::to_string(rng() % 20);
                    if (rng() % 3 != 0) {
                        int s = httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz", credential(id)).status;
                        if (s == 201) owned[t].insert(id);
                        else if (s != 409 || !owned[t].count(id)) ++failures;
                    } else {
                        int s = httpCall(port, "DELETE", "/api/v1/clients-auth/" + id, "admin", "foobaz").status;
                        if (s == 204) owned[t].erase(id);
                        else if (s != 404 || owned[t].count(id)) ++failures;
                    }
                    // And a contended id that every thread fights over.
                    if (i % 10 == 0) {
                        httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz", credential("shared"));
                        httpCall(port, "DELETE", "/api/v1/clients-auth/shared", "admin", "foobaz");
                    }
                }
            });
        }
        for (auto& th : threads) th.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());

        std::set<std::string> expected{"seed"};
        for (const auto& s : owned) expected.insert(s.begin(), s.end());
        // What the API says about "shared" is what the file must say too.
        bool shared = httpCall(port, "GET", "/api/v1/clients-auth/shared", "admin", "foobaz").status == 200;
        if (shared) expected.insert("shared");

        std::set<std::string> onDisk = idsInFile(file);
        CPPUNIT_ASSERT_EQUAL(expected.size(), onDisk.size());
        CPPUNIT_ASSERT(expected == onDisk);
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop());

        // And a fresh rportd serves exactly that.
        RportdProcess again({"-c", config}, dir.path());
        HttpReply list = httpCall(again.waitForApiPort(), "GET", "/api/v1/clients-auth?page[limit]=500", "admin", "foobaz");
        auto data = Poco::JSON::Parser().parse(list.body).extract<Poco::JSON::Object::Ptr>()->getArray("data");
        std::set<std::string> served;
        for (size_t i = 0; i < data->size(); ++i) served.insert(data->getObject(i)->getValue<std::string>("id"));
        CPPUNIT_ASSERT(expected == served);
    }

    void killDashNineNeverLosesAnAcknowledgedWrite() {
        std::mt19937 rng(20261122);
        std::set<std::string> mustExist{"seed"}, mustNotExist;
        int next = 0, rounds = 12, acknowledged = 0;
        for (int round = 0; round < rounds; ++round) {
            RportdProcess rportd({"-c", config}, dir.path());
            uint16_t port = rportd.waitForApiPort();
            std::atomic<bool> stop{false};
            std::string inFlight;  // the one write whose fate the kill decides
            std::thread writer([&] {
                while (!stop) {
                    bool remove = !mustExist.empty() && rng() % 4 == 0;
                    std::string id;
                    if (remove) {
                        auto it = std::next(mustExist.begin(), static_cast<long>(rng() % mustExist.size()));
                        id = *it;
                    } else {
                        id = "k" + std::to_string(next++);
                    }
                    inFlight = id;
                    int status = 0;
                    try {
                        status = remove ? httpCall(port, "DELETE", "/api/v1/clients-auth/" + id, "admin", "foobaz").status
                                        : httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz", credential(id)).status;
                    } catch (const Poco::Exception&) {
                        return;  // killed mid-request: this write's fate is unknown
                    }
                    if (remove && status == 204) {
                        mustExist.erase(id);
                        mustNotExist.insert(id);
                    } else if (!remove && status == 201) {
                        mustExist.insert(id);
                        mustNotExist.erase(id);
                    }
                    ++acknowledged;
                    inFlight.clear();
                }
            });
            // Under a sanitizer every write takes a few times longer: the
            // window grows alike, so that a round still sees several.
            const int slowdown = kUnderSanitizer ? 4 : 1;
            std::this_thread::sleep_for(std::chrono::milliseconds((20 + rng() % 150) * slowdown));
            ::kill(rportd.pid(), SIGKILL);
            stop = true;
            writer.join();
            rportd.wait(5000);

            std::set<std::string> onDisk = idsInFile(file);
            for (const auto& id : mustExist)
                if (id != inFlight) CPPUNIT_ASSERT_MESSAGE("lost acknowledged add " + id, onDisk.count(id));
            for (const auto& id : mustNotExist)
                if (id != inFlight) CPPUNIT_ASSERT_MESSAGE("lost acknowledged delete " + id, !onDisk.count(id));
            // Leave the in-flight id settled by what the file says.
            if (!inFlight.empty()) {
                if (onDisk.count(inFlight)) {
                    mustExist.insert(inFlight);
                    mustNotExist.erase(inFlight);
                } else {
                    mustExist.erase(inFlight);
                    mustNotExist.insert(inFlight);
                }
            }
        }
        CPPUNIT_ASSERT_MESSAGE("too few writes to mean anything", acknowledged > rounds * 5);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FileBackendDurabilityTest);
