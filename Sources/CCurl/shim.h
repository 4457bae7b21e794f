#ifndef VIGIA_CCURL_SHIM_H
#define VIGIA_CCURL_SHIM_H

// Typed wrappers around libcurl's variadic calls, which Swift cannot call.
// Only the Fetching and Mailing modules import this.
#include <curl/curl.h>

typedef size_t (*vigia_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*vigia_curl_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                            curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode vigia_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_data_callback(CURL *handle, CURLoption option, vigia_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode vigia_curl_setopt_progress_callback(CURL *handle, vigia_curl_progress_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode vigia_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode vigia_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode vigia_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode vigia_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode vigia_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// CURLMsg keeps its result in a union.
static inline int vigia_curl_msg_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}
static inline CURLcode vigia_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
