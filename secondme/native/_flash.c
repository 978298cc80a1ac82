/*
 * secondme.native._flash: keep a memory-mapped model's weights resident only where they are
 * needed, so a model larger than its RAM budget runs without thrashing.
 *
 * - residency: mincore() on a mapping, or on a file range mapped for the occasion
 * - prefetch: MADV_WILLNEED in chunks no larger than the device's read_ahead_kb, from one helper
 *   thread, then one read per page so the thread knows when a layer is in (no copies are made)
 * - eviction: MADV_DONTNEED on llama.cpp's own mapping, then POSIX_FADV_DONTNEED (fadvise alone
 *   leaves mapped pages in place); returns the bytes that left memory
 * - a ggml eval callback (cb_eval) that, after each layer, evicts it if it is not pinned, asks
 *   for the next `lookahead` layers and waits (counting the stall) if the next one is not in yet
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_SIZE 256
#define EVICT_BATCH 3 /* finished layers dropped together: one madvise/fadvise pair per run */

static size_t page_size_bytes(void) {
    static size_t page = 0;
    if (!page) page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Resident bytes of [addr, addr + length), the range widened to whole pages. */
static long long resident_in(char *addr, size_t length) {
    size_t page = page_size_bytes();
    uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)addr + length + page - 1) & ~(uintptr_t)(page - 1);
    if (end <= start) return 0;
    size_t pages = (end - start) / page;
    unsigned char *vector = malloc(pages);
    if (!vector) return -1;
    if (mincore((void *)start, end - start, vector) != 0) {
        free(vector);
        return -1;
    }
    long long resident = 0;
    for (size_t i = 0; i < pages; i++) resident += (vector[i] & 1) ? (long long)page : 0;
    free(vector);
    return resident;
}

/* Pages wholly inside [addr, addr + length): eviction must not touch a neighbour's pages. */
static void inner_pages(char *addr, size_t length, uintptr_t *start, uintptr_t *end) {
    size_t page = page_size_bytes();
    *start = ((uintptr_t)addr + page - 1) & ~(uintptr_t)(page - 1);
    *end = ((uintptr_t)addr + length) & ~(uintptr_t)(page - 1);
}

static long long evict_range(char *addr, size_t length, int fd, long long offset) {
    uintptr_t start, end;
    inner_pages(addr, length, &start, &end);
    if (end <= start) return 0;
    long long before = resident_in((char *)start, end - start);
    madvise((void *)start, end - start, MADV_DONTNEED);
    if (fd >= 0) {
        long long file_start = offset + (long long)(start - (uintptr_t)addr);
        posix_fadvise(fd, file_start, (off_t)(end - start), POSIX_FADV_DONTNEED);
    }
    long long after = resident_in((char *)start, end - start);
    return before > after ? before - after : 0;
}

/* Ask the kernel for [addr, addr + length), in chunks no larger than its read-ahead window. */
static void advise_range(char *addr, size_t length, size_t chunk) {
    size_t page = page_size_bytes();
    uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)addr + length + page - 1) & ~(uintptr_t)(page - 1);
    if (chunk < page) chunk = page;
    for (uintptr_t at = start; at < end; at += chunk) {
        size_t size = (end - at) < chunk ? (end - at) : chunk;
        madvise((void *)at, size, MADV_WILLNEED);
    }
}

/* Read one byte of every page: returns once the range is in memory (nothing is copied). */
static void touch_range(char *addr, size_t length) {
    size_t page = page_size_bytes();
    uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(page - 1);
    uintptr_t end = (uintptr_t)addr + length;
    volatile unsigned char sink = 0;
    for (uintptr_t at = start; at < end; at += page) sink ^= *(volatile unsigned char *)at;
    (void)sink;
}

static void prefetch_range(char *addr, size_t length, size_t chunk) {
    advise_range(addr, length, chunk);
    touch_range(addr, length);
}

/* ---------------------------------------------------------------------------------------------- */

typedef const char *(*get_name_fn)(const void *tensor);

typedef struct {
    PyObject_HEAD
    char *map_addr;
    size_t map_length;
    long long map_offset; /* file offset of map_addr */
    int fd;
    int n_layers;
    long long *layer_offset; /* file offsets */
    long long *layer_length;
    long long *evict_offset; /* what to drop once the layer has run (may start before it: folios) */
    long long *evict_length;
    char *pinned;
    volatile int *ready;
    volatile int *queued;
    int lookahead;
    int pending[EVICT_BATCH]; /* finished streamed layers not yet dropped */
    int n_pending;
    size_t chunk;
    get_name_fn get_name;
    int enabled;
    /* helper thread */
    pthread_t thread;
    int thread_started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_cond_t done;
    int queue[QUEUE_SIZE];
    int head, tail;
    int stop;
    /* stats */
    long long callbacks, tokens, stall_ns, prefetched_bytes, evicted_bytes, stalls, evict_ns;
} Streamer;

static char *layer_addr(Streamer *s, int layer) {
    return s->map_addr + (s->layer_offset[layer] - s->map_offset);
}

/* The helper takes every queued layer at once: all their reads are issued before it waits on the
 * first, so the device sees several requests in flight rather than one layer at a time. */
/* The decoder's path: no mincore accounting (it cost more than the eviction itself). Pending
 * layers that follow each other in the file go in one madvise + fadvise pair: each call costs
 * TLB shootdowns and page-cache locking far more than its size does. Returns bytes advised away. */
static long long drop_pending(Streamer *s) {
    long long dropped = 0;
    int i = 0;
    while (i < s->n_pending) {
        long long run_start = s->evict_offset[s->pending[i]];
        long long run_end = run_start + s->evict_length[s->pending[i]];
        int j = i + 1;
        while (j < s->n_pending) {
            long long next_start = s->evict_offset[s->pending[j]];
            if (next_start > run_end || next_start < run_start) break;
            long long next_end = next_start + s->evict_length[s->pending[j]];
            if (next_end > run_end) run_end = next_end;
            j++;
        }
        char *addr = s->map_addr + (run_start - s->map_offset);
        uintptr_t start, end;
        inner_pages(addr, (size_t)(run_end - run_start), &start, &end);
        if (end > start) {
            madvise((void *)start, end - start, MADV_DONTNEED);
            posix_fadvise(s->fd, run_start + (long long)(start - (uintptr_t)addr), (off_t)(end - start), POSIX_FADV_DONTNEED);
            dropped += (long long)(end - start);
        }
        i = j;
    }
    s->n_pending = 0;
    return dropped;
}

static void *helper_main(void *arg) {
    Streamer *s = (Streamer *)arg;
    int batch[QUEUE_SIZE];
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        if (s->head == s->tail) {
            pthread_cond_wait(&s->wake, &s->lock);
            continue;
        }
        int count = 0;
        while (s->head != s->tail) {
            batch[count++] = s->queue[s->head];
            s->head = (s->head + 1) % QUEUE_SIZE;
        }
        pthread_mutex_unlock(&s->lock);
        for (int i = 0; i < count; i++) advise_range(layer_addr(s, batch[i]), (size_t)s->layer_length[batch[i]], s->chunk);
        for (int i = 0; i < count; i++) {
            int layer = batch[i];
            touch_range(layer_addr(s, layer), (size_t)s->layer_length[layer]);
            pthread_mutex_lock(&s->lock);
            s->prefetched_bytes += s->layer_length[layer];
            s->ready[layer] = 1;
            s->queued[layer] = 0;
            pthread_cond_broadcast(&s->done);
            pthread_mutex_unlock(&s->lock);
        }
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* Caller holds s->lock. */
static void request(Streamer *s, int layer) {
    if (s->pinned[layer] || s->ready[layer] || s->queued[layer]) return;
    int next_tail = (s->tail + 1) % QUEUE_SIZE;
    if (next_tail == s->head) return; /* full: the layer will fault in on demand */
    s->queue[s->tail] = layer;
    s->tail = next_tail;
    s->queued[layer] = 1;
    pthread_cond_signal(&s->wake);
}

static void layer_done(Streamer *s, int layer) {
    int next = (layer + 1) % s->n_layers;
    if (layer == s->n_layers - 1) s->tokens++;
    if (!s->pinned[layer]) {
        /* Inline: a third thread competing for two cores made decoding slower, not faster. */
        s->ready[layer] = 0;
        s->pending[s->n_pending++] = layer;
        if (s->n_pending == EVICT_BATCH || layer == s->n_layers - 1) {
            uint64_t started = now_ns();
            s->evicted_bytes += drop_pending(s);
            s->evict_ns += (long long)(now_ns() - started);
        }
    }
    pthread_mutex_lock(&s->lock);
    for (int ahead = 0; ahead < s->lookahead; ahead++) request(s, (next + ahead) % s->n_layers);
    if (!s->pinned[next] && !s->ready[next]) {
        uint64_t started = now_ns();
        while (!s->ready[next] && s->queued[next] && !s->stop) pthread_cond_wait(&s->done, &s->lock);
        s->stall_ns += (long long)(now_ns() - started);
        s->stalls++;
    }
    pthread_mutex_unlock(&s->lock);
}

/* ggml_backend_sched_eval_callback: asked about every node; we only watch layer outputs. */
static bool flash_cb_eval(void *tensor, bool ask, void *user_data) {
    Streamer *s = (Streamer *)user_data;
    if (!s->enabled || !s->get_name || !s->map_addr) return false;
    const char *name = s->get_name(tensor);
    if (!name || strncmp(name, "l_out-", 6) != 0) return false;
    if (ask) return true;
    int layer = atoi(name + 6);
    if (layer < 0 || layer >= s->n_layers) return true;
    s->callbacks++;
    layer_done(s, layer);
    return true;
}

static void stop_helper(Streamer *s) {
    if (!s->thread_started) return;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    pthread_cond_broadcast(&s->wake);
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    s->thread_started = 0;
}

static void Streamer_dealloc(Streamer *s) {
    stop_helper(s);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    pthread_cond_destroy(&s->done);
    free(s->layer_offset);
    free(s->layer_length);
    free(s->evict_offset);
    free(s->evict_length);
    free(s->pinned);
    free((void *)s->ready);
    free((void *)s->queued);
    Py_TYPE(s)->tp_free((PyObject *)s);
}

/* Streamer(layers: list[(offset, length, evict_offset, evict_length)], pinned: list[bool], lookahead: int,
 *          chunk: int, get_name: int) */
static int Streamer_init(Streamer *s, PyObject *args, PyObject *kwargs) {
    PyObject *layers, *pinned;
    unsigned long long get_name;
    if (!PyArg_ParseTuple(args, "OOinK", &layers, &pinned, &s->lookahead, &s->chunk, &get_name)) return -1;
    Py_ssize_t n = PySequence_Size(layers);
    if (n <= 0 || PySequence_Size(pinned) != n) {
        PyErr_SetString(PyExc_ValueError, "layers and pinned must be non-empty and of the same length");
        return -1;
    }
    s->n_layers = (int)n;
    s->layer_offset = calloc(n, sizeof(long long));
    s->layer_length = calloc(n, sizeof(long long));
    s->evict_offset = calloc(n, sizeof(long long));
    s->evict_length = calloc(n, sizeof(long long));
    s->pinned = calloc(n, 1);
    s->ready = calloc(n, sizeof(int));
    s->queued = calloc(n, sizeof(int));
    if (!s->layer_offset || !s->layer_length || !s->evict_offset || !s->evict_length || !s->pinned || !s->ready || !s->queued) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(layers, i);
        PyObject *flag = PySequence_GetItem(pinned, i);
        if (!item || !flag || !PyArg_ParseTuple(item, "LLLL", &s->layer_offset[i], &s->layer_length[i], &s->evict_offset[i], &s->evict_length[i])) {
            Py_XDECREF(item);
            Py_XDECREF(flag);
            return -1;
        }
        s->pinned[i] = (char)PyObject_IsTrue(flag);
        Py_DECREF(item);
        Py_DECREF(flag);
    }
    s->get_name = (get_name_fn)(uintptr_t)get_name;
    s->fd = -1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    pthread_cond_init(&s->done, NULL);
    if (pthread_create(&s->thread, NULL, helper_main, s) != 0) {
        PyErr_SetString(PyExc_OSError, "cannot start the prefetch thread");
        return -1;
    }
    s->thread_started = 1;
    return 0;
}

/* attach(map_addr, map_length, map_offset, fd): llama.cpp's mapping of the model file. */
static PyObject *Streamer_attach(Streamer *s, PyObject *args) {
    unsigned long long addr;
    if (!PyArg_ParseTuple(args, "KnLi", &addr, &s->map_length, &s->map_offset, &s->fd)) return NULL;
    s->map_addr = (char *)(uintptr_t)addr;
    for (int i = 0; i < s->n_layers; i++) {
        long long end = s->layer_offset[i] + s->layer_length[i];
        long long evict_end = s->evict_offset[i] + s->evict_length[i];
        long long first = s->evict_offset[i] < s->layer_offset[i] ? s->evict_offset[i] : s->layer_offset[i];
        long long last = evict_end > end ? evict_end : end;
        if (first < s->map_offset || last > s->map_offset + (long long)s->map_length) {
            s->map_addr = NULL;
            PyErr_Format(PyExc_ValueError, "layer %d lies outside the mapping", i);
            return NULL;
        }
    }
    /* No read-around on faults: with an 8 MiB read_ahead_kb one fault would pull in the
     * neighbouring layers and break the budget. Prefetches say exactly what to read. */
    madvise((void *)((uintptr_t)s->map_addr & ~(uintptr_t)(page_size_bytes() - 1)), s->map_length, MADV_RANDOM);
    s->enabled = 1;
    Py_RETURN_NONE;
}

/* settle(): after the load, every layer is in memory (llama.cpp reads the whole file). Mark them
 * ready and let the first token evict the streamed layers one by one as they finish: evicting now
 * would make that token read them all again. Returns the bytes of the model now resident. */
static PyObject *Streamer_settle(Streamer *s, PyObject *Py_UNUSED(ignored)) {
    long long resident = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < s->n_layers; i++) {
        long long here = resident_in(layer_addr(s, i), (size_t)s->layer_length[i]);
        s->ready[i] = s->pinned[i] || here >= s->layer_length[i] - (long long)page_size_bytes();
        resident += here > 0 ? here : 0;
    }
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->lookahead && i < s->n_layers; i++) request(s, i);
    pthread_mutex_unlock(&s->lock);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(resident);
}

/* shutdown(): stop the prefetch thread and watch nothing more. Must come before llama.cpp unmaps
 * the model: the thread reads pages of that mapping. */
static PyObject *Streamer_shutdown(Streamer *s, PyObject *Py_UNUSED(ignored)) {
    s->enabled = 0;
    Py_BEGIN_ALLOW_THREADS
    stop_helper(s);
    Py_END_ALLOW_THREADS
    s->map_addr = NULL;
    Py_RETURN_NONE;
}

static PyObject *Streamer_set_enabled(Streamer *s, PyObject *args) {
    int enabled;
    if (!PyArg_ParseTuple(args, "p", &enabled)) return NULL;
    s->enabled = enabled;
    Py_RETURN_NONE;
}

static PyObject *Streamer_stats(Streamer *s, PyObject *Py_UNUSED(ignored)) {
    return Py_BuildValue(
        "{s:L,s:L,s:d,s:L,s:L,s:L,s:d}", "callbacks", s->callbacks, "tokens", s->tokens, "stall_s", s->stall_ns / 1e9,
        "stalls", s->stalls, "prefetched_bytes", s->prefetched_bytes, "evicted_bytes", s->evicted_bytes, "evict_s", s->evict_ns / 1e9);
}

static PyObject *Streamer_get_callback(Streamer *s, void *closure) {
    return PyLong_FromVoidPtr((void *)&flash_cb_eval);
}

static PyObject *Streamer_get_user_data(Streamer *s, void *closure) {
    return PyLong_FromVoidPtr((void *)s);
}

static PyMethodDef Streamer_methods[] = {
    {"attach", (PyCFunction)Streamer_attach, METH_VARARGS, "attach(map_addr, map_length, map_offset, fd)"},
    {"settle", (PyCFunction)Streamer_settle, METH_NOARGS, "Mark what the load brought in as ready; start the first prefetches. Returns resident bytes."},
    {"set_enabled", (PyCFunction)Streamer_set_enabled, METH_VARARGS, "Turn streaming on or off (off: the callback watches nothing)."},
    {"shutdown", (PyCFunction)Streamer_shutdown, METH_NOARGS, "Stop the prefetch thread (before the mapping goes away)."},
    {"stats", (PyCFunction)Streamer_stats, METH_NOARGS, "Counters since creation."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Streamer_getset[] = {
    {"callback_address", (getter)Streamer_get_callback, NULL, "address of the ggml eval callback", NULL},
    {"user_data_address", (getter)Streamer_get_user_data, NULL, "the callback's user_data", NULL},
    {NULL},
};

static PyTypeObject StreamerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "secondme.native._flash.Streamer",
    .tp_basicsize = sizeof(Streamer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Streamer_init,
    .tp_dealloc = (destructor)Streamer_dealloc,
    .tp_methods = Streamer_methods,
    .tp_getset = Streamer_getset,
    .tp_doc = "Layer-by-layer residency manager for a memory-mapped model.",
};

/* ---------------------------------------------------------------------------------------------- */

static PyObject *py_page_size(PyObject *self, PyObject *Py_UNUSED(args)) { return PyLong_FromSize_t(page_size_bytes()); }

static PyObject *py_resident(PyObject *self, PyObject *args) {
    unsigned long long addr;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "Kn", &addr, &length)) return NULL;
    long long resident;
    Py_BEGIN_ALLOW_THREADS
    resident = resident_in((char *)(uintptr_t)addr, (size_t)length);
    Py_END_ALLOW_THREADS
    if (resident < 0) return PyErr_SetFromErrno(PyExc_OSError);
    return PyLong_FromLongLong(resident);
}

static PyObject *py_file_resident(PyObject *self, PyObject *args) {
    int fd;
    long long offset, length;
    if (!PyArg_ParseTuple(args, "iLL", &fd, &offset, &length)) return NULL;
    if (length <= 0) return PyLong_FromLong(0);
    size_t page = page_size_bytes();
    long long start = offset & ~(long long)(page - 1);
    size_t span = (size_t)(offset + length - start);
    void *view = mmap(NULL, span, PROT_READ, MAP_SHARED, fd, start);
    if (view == MAP_FAILED) return PyErr_SetFromErrno(PyExc_OSError);
    long long resident = resident_in((char *)view + (offset - start), (size_t)length);
    munmap(view, span);
    if (resident < 0) return PyErr_SetFromErrno(PyExc_OSError);
    return PyLong_FromLongLong(resident);
}

static PyObject *py_evict(PyObject *self, PyObject *args) {
    unsigned long long addr;
    Py_ssize_t length;
    int fd;
    long long offset;
    if (!PyArg_ParseTuple(args, "KniL", &addr, &length, &fd, &offset)) return NULL;
    long long freed;
    Py_BEGIN_ALLOW_THREADS
    freed = evict_range((char *)(uintptr_t)addr, (size_t)length, fd, offset);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(freed);
}

static PyObject *py_drop_file_cache(PyObject *self, PyObject *args) {
    int fd;
    long long offset, length;
    if (!PyArg_ParseTuple(args, "iLL", &fd, &offset, &length)) return NULL;
    int error = posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED);
    if (error) {
        errno = error;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

static PyObject *py_prefetch(PyObject *self, PyObject *args) {
    unsigned long long addr;
    Py_ssize_t length, chunk;
    if (!PyArg_ParseTuple(args, "Knn", &addr, &length, &chunk)) return NULL;
    Py_BEGIN_ALLOW_THREADS
    prefetch_range((char *)(uintptr_t)addr, (size_t)length, (size_t)chunk);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"page_size", py_page_size, METH_NOARGS, "The system page size."},
    {"resident", py_resident, METH_VARARGS, "resident(addr, length) -> resident bytes (mincore)."},
    {"file_resident", py_file_resident, METH_VARARGS, "file_resident(fd, offset, length) -> bytes of the file range in the page cache."},
    {"evict", py_evict, METH_VARARGS, "evict(addr, length, fd, offset) -> bytes freed (MADV_DONTNEED, then POSIX_FADV_DONTNEED)."},
    {"drop_file_cache", py_drop_file_cache, METH_VARARGS, "drop_file_cache(fd, offset, length): POSIX_FADV_DONTNEED."},
    {"prefetch", py_prefetch, METH_VARARGS, "prefetch(addr, length, chunk): WILLNEED in chunks, then wait for every page."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_flash", "Residency control for memory-mapped model weights.", -1, module_methods};

PyMODINIT_FUNC PyInit__flash(void) {
    if (PyType_Ready(&StreamerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&StreamerType);
    if (PyModule_AddObject(m, "Streamer", (PyObject *)&StreamerType) < 0) {
        Py_DECREF(&StreamerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
