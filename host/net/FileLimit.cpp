#include "net/FileLimit.h"

#include <sys/resource.h>

namespace rportd::net {

FileLimit raiseOpenFileLimit() {
    FileLimit result;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return result;
    result.before = result.now = limit.rlim_cur;
    result.hard = limit.rlim_max;
    if (limit.rlim_cur >= limit.rlim_max) return result;
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) result.now = raised.rlim_cur;
    return result;
}

}  // namespace rportd::net
