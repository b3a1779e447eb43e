#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>
#include <vector>

#include "client_listener/HandshakeGate.h"

using rportd::client_listener::HandshakeGate;

class HandshakeGateTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HandshakeGateTest);
    CPPUNIT_TEST(slotsAreHandedOnInOrder);
    CPPUNIT_TEST(aWaiterThatLeavesGivesUpItsPlace);
    CPPUNIT_TEST(aGrantedTicketDroppedBeforeUseFreesTheSlot);
    CPPUNIT_TEST(manyThreadsNeverExceedTheSlots);
    CPPUNIT_TEST_SUITE_END();

public:
    void slotsAreHandedOnInOrder() {
        HandshakeGate gate(2);
        std::vector<int> woken;
        auto a = gate.enter([&] { woken.push_back(1); });
        auto b = gate.enter([&] { woken.push_back(2); });
        auto c = gate.enter([&] { woken.push_back(3); });
        auto d = gate.enter([&] { woken.push_back(4); });
        CPPUNIT_ASSERT(a->granted() && b->granted());
        CPPUNIT_ASSERT(!c->granted() && !d->granted());
        CPPUNIT_ASSERT_EQUAL(size_t(2), gate.waiting());
        b.reset();
        CPPUNIT_ASSERT(c->granted());
        CPPUNIT_ASSERT(woken == std::vector<int>{3});
        a.reset();
        CPPUNIT_ASSERT(d->granted());
        CPPUNIT_ASSERT((woken == std::vector<int>{3, 4}));
        c.reset();
        d.reset();
        CPPUNIT_ASSERT_EQUAL(size_t(0), gate.inUse());
    }

    void aWaiterThatLeavesGivesUpItsPlace() {
        HandshakeGate gate(1);
        bool secondWoken = false, thirdWoken = false;
        auto first = gate.enter({});
        auto second = gate.enter([&] { secondWoken = true; });
        auto third = gate.enter([&] { thirdWoken = true; });
        second.reset();
        first.reset();
        CPPUNIT_ASSERT(!secondWoken);
        CPPUNIT_ASSERT(thirdWoken && third->granted());
    }

    // The wake was posted, but the connection died before it ran: dropping
    // the ticket passes the slot on instead of leaking it.
    void aGrantedTicketDroppedBeforeUseFreesTheSlot() {
        HandshakeGate gate(1);
        auto first = gate.enter({});
        auto second = gate.enter([] {});
        first.reset();
        CPPUNIT_ASSERT_EQUAL(size_t(1), gate.inUse());
        second.reset();
        CPPUNIT_ASSERT_EQUAL(size_t(0), gate.inUse());
        CPPUNIT_ASSERT(gate.enter({})->granted());
    }

    void manyThreadsNeverExceedTheSlots() {
        HandshakeGate gate(3);
        std::atomic<int> inside{0}, most{0}, done{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 500; ++i) {
                    auto ticket = gate.enter([] {});
                    while (!ticket->granted()) std::this_thread::yield();
                    int now = ++inside;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) {
                    }
                    --inside;
                    ticket.reset();
                    ++done;
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(4000, done.load());
        CPPUNIT_ASSERT(most.load() <= 3);
        CPPUNIT_ASSERT_EQUAL(size_t(0), gate.inUse());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HandshakeGateTest);
