/* sdl_audio.c - the till's speaker: spoken prompts and tones.
 *
 * The kiosk queues clip names (kiosk_next_sound); here they are loaded from
 * <sounds dir>/<lang>/<name>.wav on first use, converted once to the
 * device's format, cached, and queued at the volume setting.  No sound card
 * or no clips is a one-line warning: the till works silently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host_int.h"
#include "speech.h"

/* Picks the first sounds directory that exists; a one-line warning if none. */
static void sounds_find(host *h)
{
    char cand[3][sizeof h->sounds_dir];
    int nc = 0;
    const char *env = getenv("ZHUCAN_SOUNDS");
    if (env && *env && snprintf(cand[nc], sizeof cand[0], "%s", env) < (int)sizeof cand[0])
        nc++;
    snprintf(cand[nc++], sizeof cand[0], "build/assets/sounds");
    if (snprintf(cand[nc], sizeof cand[0], "%s/../share/zhucan/sounds", h->exe_dir) <
        (int)sizeof cand[0])
        nc++;
    for (int i = 0; i < nc; i++) {
        struct stat sb;
        if (stat(cand[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            memcpy(h->sounds_dir, cand[i], sizeof h->sounds_dir); /* same size, NUL inside */
            return;
        }
    }
    fprintf(stderr, "zhucan: warning: no sounds (tried %s%s%s%s%s); the till stays silent\n",
            cand[0], nc > 1 ? ", " : "", nc > 1 ? cand[1] : "", nc > 2 ? ", " : "",
            nc > 2 ? cand[2] : "");
}

/* Opens the default audio device (mono 16-bit 22.05 kHz, what the speech
 * clips are); SDL converts for the hardware.  Failure is a warning. */
void host_audio_open(host *h)
{
    sounds_find(h);
    if (!h->sounds_dir[0])
        return;
    /* ALSA prints a page of its own errors when there is no sound card: keep
     * stderr quiet while probing and say it in one line instead */
    int saved = host_stderr_mute();
    bool up = SDL_InitSubSystem(SDL_INIT_AUDIO) == 0;
    if (up) {
        SDL_AudioSpec want;
        SDL_zero(want);
        want.freq = 22050;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = 1024;
        h->audio = SDL_OpenAudioDevice(NULL, 0, &want, &h->aspec, 0);
    }
    host_stderr_restore(saved);
    if (!up) {
        fprintf(stderr, "zhucan: warning: no sound: %s\n", SDL_GetError());
        return;
    }
    if (!h->audio) {
        fprintf(stderr, "zhucan: warning: no sound device: %s\n", SDL_GetError());
        return;
    }
    SDL_PauseAudioDevice(h->audio, 0);
}

void host_audio_close(host *h)
{
    for (int i = 0; i < h->nclips; i++)
        SDL_free(h->clips[i].buf);
    h->nclips = 0;
    if (h->audio)
        SDL_CloseAudioDevice(h->audio);
    h->audio = 0;
}

/* The clip called name, loaded and converted on first use (the cache
 * replaces its oldest clip when full); NULL with a warning when missing. */
static const host_clip *clip_get(host *h, const char *name)
{
    for (int i = 0; i < h->nclips; i++) {
        if (strcmp(h->clips[i].name, name) == 0)
            return &h->clips[i];
    }
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return NULL; /* clip names are words, never paths */
    }
    char path[1400];
    snprintf(path, sizeof path, "%s/%s/%s.wav", h->sounds_dir,
             speech_lang_from(h->lang) == SPEECH_EN ? "en" : "zh", name);
    SDL_AudioSpec spec;
    Uint8 *buf = NULL;
    Uint32 len = 0;
    if (!SDL_LoadWAV(path, &spec, &buf, &len)) {
        fprintf(stderr, "zhucan: warning: sound %s: %s\n", path, SDL_GetError());
        return NULL;
    }
    SDL_AudioCVT cvt;
    int need = SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, h->aspec.format,
                                 h->aspec.channels, h->aspec.freq);
    if (need > 0) {
        cvt.len = (int)len;
        cvt.buf = SDL_malloc((size_t)len * (size_t)cvt.len_mult);
        if (!cvt.buf) {
            SDL_FreeWAV(buf);
            return NULL;
        }
        memcpy(cvt.buf, buf, len);
        SDL_FreeWAV(buf);
        if (SDL_ConvertAudio(&cvt) != 0) {
            SDL_free(cvt.buf);
            return NULL;
        }
        buf = cvt.buf;
        len = (Uint32)cvt.len_cvt;
    } else if (need < 0) {
        fprintf(stderr, "zhucan: warning: sound %s: %s\n", path, SDL_GetError());
        SDL_FreeWAV(buf);
        return NULL;
    }
    int slot = h->nclips < HOST_CLIPS ? h->nclips++ : h->clip_next++ % HOST_CLIPS;
    host_clip *c = &h->clips[slot];
    if (c->buf)
        SDL_free(c->buf);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->buf = buf; /* SDL_LoadWAV's buffer is SDL_malloc'd too */
    c->len = len;
    return c;
}

/* The volume setting (meta "volume", 0-100, default 80) as SDL's 0-128. */
static int sound_volume(host *h)
{
    char buf[16], *end;
    if (!h->till || store_meta_get(till_store(h->till), "volume", buf, sizeof buf) != ZC_OK)
        return 80 * SDL_MIX_MAXVOLUME / 100;
    long v = strtol(buf, &end, 10);
    if (*end || v < 0 || v > 100)
        v = 80;
    return (int)(v * SDL_MIX_MAXVOLUME / 100);
}

void host_sounds_pump(host *h)
{
    char name[48];
    int volume = -1;
    while (kiosk_next_sound(h->k, name, sizeof name)) {
        if (!h->audio)
            continue;
        if (volume < 0)
            volume = sound_volume(h);
        if (volume == 0) /* muted */
            continue;
        /* an announcement starts with a tone: what is still queued from the
         * last one is stale (the next elder has tapped); so is more than 10 s */
        Uint32 bytes_per_s = (Uint32)h->aspec.freq * h->aspec.channels *
                             (SDL_AUDIO_BITSIZE(h->aspec.format) / 8);
        if (strcmp(name, "tone_ok") == 0 || strcmp(name, "tone_error") == 0 ||
            SDL_GetQueuedAudioSize(h->audio) > 10 * bytes_per_s)
            SDL_ClearQueuedAudio(h->audio);
        const host_clip *c = clip_get(h, name);
        if (!c)
            continue;
        if (volume >= SDL_MIX_MAXVOLUME) {
            SDL_QueueAudio(h->audio, c->buf, c->len);
            continue;
        }
        /* scaled copy: mixing into silence at the chosen volume */
        Uint8 *tmp = SDL_calloc(1, c->len);
        if (!tmp)
            continue;
        SDL_MixAudioFormat(tmp, c->buf, h->aspec.format, c->len, volume);
        SDL_QueueAudio(h->audio, tmp, c->len);
        SDL_free(tmp);
    }
}
