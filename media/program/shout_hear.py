# Shout/Hear: the lesson's program (a learner's view of it).
# Python engine: a real multiprocessing Queue and Lock. The Node
# engine runs the same steps in TypeScript (see Show Program).
# "# lock wait", "# put"...: what the timeline shows for that line.
import random
import time
from multiprocessing import Lock, Process, Queue

MESSAGES = 10           # setting shoutHear.messageCount
NAP_PROBABILITY = 0.25  # setting shoutHear.napProbability
NAP_SECONDS = 0.1       # setting shoutHear.napMs, in seconds


def lprint(lock, text):
    if lock is None:             # useLock off:
        print(text, flush=True)  # lines may mix
        return
    with lock:                   # lock wait
        print(text, flush=True)  # print


def shouter(queue, lock):        # start
    for i in range(1, MESSAGES + 1):
        nap = random.random() < NAP_PROBABILITY
        lprint(lock, f"Shout: {i}")
        queue.put(i)             # put
        if nap:
            time.sleep(NAP_SECONDS)  # nap
    queue.put("done")            # sentinel
    # exit


def hearer(queue, lock):         # start
    message = queue.get()        # get
    while message != "done":
        lprint(lock, f"Hear: {message}")
        message = queue.get()
    # exit


if __name__ == "__main__":
    queue, lock = Queue(), Lock()
    processes = [Process(target=f, args=(queue, lock)) for f in (shouter, hearer)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
