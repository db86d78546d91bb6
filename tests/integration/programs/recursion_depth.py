"""How deep can we recurse under the default recursion limit, and does a
RecursionError come back as usual?"""


def depth(n=0):
    try:
        return depth(n + 1)
    except RecursionError:
        return n


print("depth", depth())
print("again", depth())
