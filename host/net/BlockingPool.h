#pragma once
// A few threads for work that may block (bcrypt, database calls, a plugin
// that does I/O), so that event loops never wait. The queue is bounded: when
// it is full submit() refuses, and the caller answers "busy" at once instead
// of letting latency grow without limit. Results go back to the loop that
// asked through ConnectionRef::post or EventLoop::post.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rportd::net {

class BlockingPool {
public:
    using Task = std::function<void()>;

    BlockingPool(size_t threads, size_t maxQueued);
    ~BlockingPool();  // stop()
    BlockingPool(const BlockingPool&) = delete;
    BlockingPool& operator=(const BlockingPool&) = delete;

    // False when the queue is full or the pool is stopping; the task is dropped.
    bool submit(Task task);
    // Runs what is queued, then joins the threads.
    void stop();

    size_t threads() const { return _threads.size(); }
    // Whether the calling thread is one of this pool's.
    bool onPoolThread() const;

private:
    void work();

    const size_t _maxQueued;
    std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<Task> _queue;
    bool _stopping = false;
    std::vector<std::thread> _threads;
};

// Pool size for rportd: bcrypt and database round-trips are the blocking
// work; four threads at least, two per core.
size_t defaultBlockingThreads();

}  // namespace rportd::net
