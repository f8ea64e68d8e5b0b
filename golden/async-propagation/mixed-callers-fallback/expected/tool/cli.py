from tool.helpers import pause


def main():
    pause(1)
