from zoo.base import Animal


class Cat(Animal):
    def speak(self):
        return "meow"
